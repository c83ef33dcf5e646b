# generator-worker: generates Parquet parts into S3 (Celery worker, queue dwsim.generator).
# Built from the repository root: docker compose build (see docker-compose.yml).
# On another machine: docker run -e DWSIM_REDIS_URL=... IMAGE dwsim worker generator (docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY shared/ shared/
COPY cli/ cli/
COPY generator-worker/ generator-worker/
RUN pip install "./shared[services]" ./cli ./generator-worker

RUN useradd --create-home dwsim && mkdir -p /data && chown dwsim /data
USER dwsim
ENV DWSIM_DATA_DIR=/data
CMD ["dwsim", "worker", "generator"]
