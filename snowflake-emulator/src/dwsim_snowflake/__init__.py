"""dw-sim Snowflake emulator: fakesnow server reading s3:// through s3fs"""
