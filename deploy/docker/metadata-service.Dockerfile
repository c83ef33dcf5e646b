# metadata-service: experiments, jobs and generation runs (FastAPI; SQLite under /data by default).
# Built from the repository root: docker compose build (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY shared/ shared/
COPY metadata-service/ metadata-service/
RUN pip install "./shared[services]" ./metadata-service

RUN useradd --create-home dwsim && mkdir -p /data && chown dwsim /data
USER dwsim
ENV DWSIM_DATA_DIR=/data
EXPOSE 8001
CMD ["uvicorn", "--factory", "dwsim_metadata.main:create_app", "--host", "0.0.0.0", "--port", "8001"]
