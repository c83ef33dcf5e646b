"""dw-sim Redshift emulator: PostgreSQL wire protocol over PostgreSQL, with COPY/UNLOAD from S3"""
