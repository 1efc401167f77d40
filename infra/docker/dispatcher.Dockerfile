# syntax=docker/dockerfile:1
# Inbox dispatcher image: BullMQ delivery workers; health on DISPATCHER_PORT (3001), metrics on METRICS_PORT (9464).
#
# Build context is the repository root (ignore file: dispatcher.Dockerfile.dockerignore, beside this file):
#   docker build -f infra/docker/dispatcher.Dockerfile -t inbox-dispatcher:dev .

FROM node:22-slim AS build
ENV CI=true TURBO_TELEMETRY_DISABLED=1
RUN npm i -g pnpm@10.34.9
WORKDIR /repo
# Download every locked package before copying the sources, so this layer is rebuilt only when
# the lockfile changes (pnpm's recommended Docker pattern).
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm turbo run build --filter @inbox/dispatcher...
# A self-contained copy of the app with production dependencies only. `--legacy`: pnpm 10's
# default deploy needs inject-workspace-packages, which would change the whole workspace's layout.
RUN pnpm --filter @inbox/dispatcher deploy --prod --legacy /out

FROM node:22-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Root-owned and read-only to the app user: the process cannot change its own code.
COPY --from=build /out ./
# Numeric uid of the image's `node` user, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3001
CMD ["node", "dist/main.js"]
