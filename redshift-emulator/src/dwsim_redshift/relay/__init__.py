"""One client session relayed to its backend session.

relay.py reads the client's messages and runs the simple Query protocol, extended.py the
extended protocol (Parse/Bind/Describe/Execute/Close); replies.py forwards the backend's replies;
statement_kind.py tells which statements the emulator runs itself, dispatch.py runs them
(COPY/UNLOAD/ALTER TABLE APPEND/TRUNCATE) or translates them; result_types.py settles the
result types of a translated statement on the backend session.
"""
