"""dw-sim generator worker: vectorised, deterministic synthetic data to Parquet"""
