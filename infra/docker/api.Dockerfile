# syntax=docker/dockerfile:1
# Inbox API image. Also runs the database migrations (`node migrate.mjs`) as a one-shot
# Kubernetes Job / compose service: migrations never run at app start-up.
#
# Build context is the repository root (ignore file: api.Dockerfile.dockerignore, beside this file):
#   docker build -f infra/docker/api.Dockerfile -t inbox-api:dev .

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
RUN pnpm turbo run build --filter @inbox/api... --filter @inbox/dashboard
# A self-contained copy of the app with production dependencies only. `--legacy`: pnpm 10's
# default deploy needs inject-workspace-packages, which would change the whole workspace's layout.
RUN pnpm --filter @inbox/api deploy --prod --legacy /out

FROM node:22-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Root-owned and read-only to the app user: the process cannot change its own code.
COPY --from=build /out ./
COPY infra/docker/migrate.mjs ./migrate.mjs
# The dashboard's static build, served by the API at /dashboard.
COPY --from=build /repo/apps/dashboard/dist ./dashboard
ENV INBOX_DASHBOARD_DIR=/app/dashboard
# Numeric uid of the image's `node` user, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
CMD ["node", "dist/main.js"]
