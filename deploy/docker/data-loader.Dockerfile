# data-loader: COPY / COPY INTO into the warehouses (Celery worker, queue dwsim.loader).
# Built from the repository root: docker compose build (see docker-compose.yml).
# On another machine: docker run -e DWSIM_REDIS_URL=... IMAGE dwsim worker loader (docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY shared/ shared/
COPY cli/ cli/
COPY data-loader/ data-loader/
RUN pip install "./shared[redshift,snowflake,sqlite,services]" ./cli ./data-loader

RUN useradd --create-home dwsim && mkdir -p /data && chown dwsim /data
USER dwsim
ENV DWSIM_DATA_DIR=/data
CMD ["dwsim", "worker", "loader"]
