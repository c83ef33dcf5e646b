# snowflake-emulator: fakesnow's server with s3:// reads going to the S3 server.
# Built from the repository root: docker compose build (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY shared/ shared/
COPY cli/ cli/
COPY snowflake-emulator/ snowflake-emulator/
RUN pip install ./shared ./cli ./snowflake-emulator

RUN useradd --create-home dwsim && mkdir -p /data && chown dwsim /data
USER dwsim
ENV DWSIM_DATA_DIR=/data
EXPOSE 8787
CMD ["dwsim", "snowflake-emulator", "--host", "0.0.0.0", "--port", "8787", "--data-dir", "/data/snowflake"]
