"""dw-sim local stack: `dwsim up` (and `make up`) runs the servers in the foreground."""
