# redshift-emulator: PostgreSQL wire-protocol server over PostgreSQL, Redshift COPY/UNLOAD and SQL.
# Built from the repository root: docker compose build (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY shared/ shared/
COPY cli/ cli/
COPY redshift-emulator/ redshift-emulator/
RUN pip install ./shared ./cli ./redshift-emulator

RUN useradd --create-home dwsim && mkdir -p /data && chown dwsim /data
USER dwsim
ENV DWSIM_DATA_DIR=/data
EXPOSE 5439
CMD ["dwsim", "redshift-emulator", "--host", "0.0.0.0", "--port", "5439"]
