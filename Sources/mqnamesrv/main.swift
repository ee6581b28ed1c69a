// placeholder until the NameServer lands on the remoting branch
print("mqnamesrv: not built on this branch")
