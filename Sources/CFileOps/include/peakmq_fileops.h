#ifndef PEAKMQ_FILEOPS_H
#define PEAKMQ_FILEOPS_H

/// Zeroes [offset, offset + length) of `fd` with fallocate(FALLOC_FL_ZERO_RANGE |
/// FALLOC_FL_KEEP_SIZE): the blocks stay allocated, no zeros are written.
/// Returns 0, or -1 with errno set (EOPNOTSUPP where the file system lacks it).
int peakmq_zero_range(int fd, long long offset, long long length);

#endif
