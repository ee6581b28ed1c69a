import Allocator
print(Allocator.startupLine)
