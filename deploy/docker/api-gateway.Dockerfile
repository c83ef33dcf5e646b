# api-gateway: the public HTTP API (FastAPI; OpenAPI at /docs) and the web UI at /.
# Built from the repository root: docker compose build (see docker-compose.yml).

# The web UI: npm packages pinned in api-gateway/ui/package.json, bundled by esbuild.
FROM node:20-slim AS ui
WORKDIR /build/api-gateway/ui
COPY api-gateway/ui/package.json api-gateway/ui/.npmrc ./
RUN npm install --no-audit --no-fund --loglevel=error
COPY api-gateway/ui/ ./
RUN node build.mjs

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY shared/ shared/
COPY api-gateway/ api-gateway/
COPY --from=ui /build/api-gateway/src/dwsim_gateway/static/ api-gateway/src/dwsim_gateway/static/
RUN pip install "./shared[services]" ./api-gateway

RUN useradd --create-home dwsim && mkdir -p /data && chown dwsim /data
USER dwsim
ENV DWSIM_DATA_DIR=/data
EXPOSE 8000
CMD ["uvicorn", "--factory", "dwsim_gateway.main:create_app", "--host", "0.0.0.0", "--port", "8000"]
