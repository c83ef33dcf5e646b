"""The PostgreSQL v3 wire protocol: its messages and framing, spoken to clients and backends alike
(messages.py), the client's connection startup and login (startup.py), and TLS for clients that
ask for it (tls.py)."""
