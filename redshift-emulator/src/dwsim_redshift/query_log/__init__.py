"""The query log behind stl_query and sys_query_history: tracker.py follows each session's
statements, writer.py writes their records in batches."""
