# syntax=docker/dockerfile:1
# The Temporal worker: sessions (the coach graph) and ingestion. Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t interview-helper-worker .

# smart-whisper compiles whisper.cpp at install (node-gyp: the full image has python3, make and g++).
# AVX2/FMA/F16C make it ~12x faster; every x86-64 server CPU since 2013 has them. Build with
# --build-arg NATIVE_FLAGS= for older CPUs.
FROM node:20.19-bookworm AS deps
ARG NATIVE_FLAGS="-mavx2 -mfma -mf16c"
WORKDIR /app
COPY package.json package-lock.json ./
RUN CFLAGS="$NATIVE_FLAGS" CXXFLAGS="$NATIVE_FLAGS" npm_config_nodedir=/usr/local ONNXRUNTIME_NODE_INSTALL=skip \
  npm ci --omit=dev --no-audit --no-fund

# The embedding model only (ingestion embeds chunks); the worker serves no UI.
FROM node:20.19-bookworm AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3-venv \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm_config_nodedir=/usr/local ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
COPY . .
RUN node scripts/setup.mjs

FROM node:20.19-bookworm-slim AS runtime
# ffmpeg decodes spoken answers for speech recognition.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  DATA_DIR=/app/data \
  MODELS_DIR=/app/data/models \
  BLOBS_DIR=/app/data/blobs \
  WORKER_METRICS_PORT=9464
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node core ./core
COPY --chown=node:node ingestion ./ingestion
COPY --chown=node:node agents ./agents
COPY --chown=node:node workflows ./workflows
COPY --chown=node:node api ./api
COPY --chown=node:node voice ./voice
COPY --chown=node:node server ./server
COPY --from=build --chown=node:node /app/data/models ./data/models
RUN mkdir -p /app/data/blobs && chown node:node /app/data/blobs
USER node
EXPOSE 9464
# The worker serves no HTTP of its own; the Temporal SDK's metrics endpoint answers once it runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.WORKER_METRICS_PORT + '/metrics').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "server/serve.ts", "worker"]
