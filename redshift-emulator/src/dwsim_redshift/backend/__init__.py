"""The backend session: the client's own PostgreSQL connection and its transaction.

connect.py opens it (startup, authentication); channel.py is the emulator's framed use of it
on the event loop; session.py is the synchronous BackendSession protocol the COPY/UNLOAD engine
sees, and bridged_session.py implements it from a worker thread over a channel; roles.py is the
PostgreSQL role client sessions log in as.
"""
