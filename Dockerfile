# Halo Coach in a container: one bot process (polling, or one webhook worker) per container.
# Installs exactly what requirements/run.lock pins, hashes checked; runs as a user without root.
#   docker build -t halo-coach .
#   docker run --env-file .env -v halo-data:/app/data halo-coach          # polling, SQLite
#   docker compose up -d                                                  # PostgreSQL + workers
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements/run.lock requirements/run.lock
RUN python -m venv /opt/halo \
    && /opt/halo/bin/python -m pip install --require-hashes -r requirements/run.lock
COPY pyproject.toml README.md ./
COPY bot bot
COPY flows flows
COPY prompts prompts
RUN /opt/halo/bin/python -m pip install --no-deps --no-build-isolation . \
    && /opt/halo/bin/python -m pip check

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /app halo \
    && mkdir /app/data && chown halo:halo /app/data
COPY --from=build /opt/halo /opt/halo
ENV PATH=/opt/halo/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////app/data/halo.db \
    WEBHOOK_LISTEN=0.0.0.0 \
    HEALTH_PORT=8081 \
    HEALTH_LISTEN=0.0.0.0
WORKDIR /app
USER 10001:10001
VOLUME ["/app/data"]
# 8080: a webhook worker (updates, /healthz, /metrics); 8081: /livez, /healthz, /metrics when polling
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["halo", "health"]
CMD ["halo", "run"]
