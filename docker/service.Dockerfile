# syntax=docker/dockerfile:1
#
# One image recipe for every NestJS service in services/ (the folder name is the Nx project name), and for the
# Node tools deployed beside them (APP_ROOT=tools: tools/kafka-provision, the one-shot topic provisioner):
#
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=identity -t relationship/identity:dev .
#   docker build -f docker/service.Dockerfile --build-arg APP_ROOT=tools --build-arg SERVICE=kafka-provision \
#     -t relationship/kafka-provision:dev .
#
# build   : the whole workspace, `npm ci`, `nx build $SERVICE --configuration=production`, which bundles the
#           service and the workspace libs into dist/$APP_ROOT/$SERVICE/main.js (plus one <entry>.js per
#           additionalEntryPoints item of its webpack.config.js, e.g. matching's worker.js) and writes a package.json
#           + package-lock.json listing only the external node_modules the bundles need (generatePackageJson).
# deps    : `npm ci --omit=dev` against that generated lockfile: the runtime node_modules, nothing else.
# runtime : node + the bundles + those node_modules, owned by root, run as the unprivileged `node` user (uid 1000).
#           CMD runs main.js (a tool exits when done; its HEALTHCHECK is disabled where it runs); a further entry point runs from the same image with its own command
#           (`node worker.js` for matching-worker in docker-compose.yml and k8s/base/matching-worker.yaml).
#
# Configuration comes from the environment only (see $APP_ROOT/$SERVICE/src/app/config.ts for a service); the image bakes in
# HOST=0.0.0.0 (the services default to 127.0.0.1, unreachable from outside a container) and NODE_ENV=production.
# The tag below follows Node 24 LTS patch releases; pin it by digest in the release pipeline.

FROM node:24-bookworm-slim AS build
# The folder holding the Nx project: services (default) or tools.
ARG APP_ROOT=services
ARG SERVICE
RUN test -n "$SERVICE" || { echo "pass --build-arg SERVICE=<a folder of ${APP_ROOT}/>" >&2; exit 1; }
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true CI=true
# Dependencies first: this layer is reused until the lockfile changes.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN test -f "${APP_ROOT}/${SERVICE}/project.json" || { echo "no such project: ${APP_ROOT}/${SERVICE}" >&2; exit 1; }
RUN npx nx build "${SERVICE}" --configuration=production \
 && test -f "dist/${APP_ROOT}/${SERVICE}/main.js" \
 && test -f "dist/${APP_ROOT}/${SERVICE}/package.json" \
 && test -f "dist/${APP_ROOT}/${SERVICE}/package-lock.json"

FROM node:24-bookworm-slim AS deps
ARG APP_ROOT=services
ARG SERVICE
WORKDIR /app
COPY --from=build /workspace/dist/${APP_ROOT}/${SERVICE}/package.json /workspace/dist/${APP_ROOT}/${SERVICE}/package-lock.json ./
# argon2 ships prebuilt binaries in its npm tarball, so no compiler is needed here.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ARG APP_ROOT=services
ARG SERVICE
LABEL org.opencontainers.image.title="relationship-${SERVICE}" \
      org.opencontainers.image.description="Relationship platform ${APP_ROOT}: ${SERVICE}"
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /workspace/dist/${APP_ROOT}/${SERVICE}/ ./
COPY docker/healthcheck.mjs /usr/local/lib/relationship/healthcheck.mjs
# Numeric uid:gid of the image's `node` user, so Kubernetes' runAsNonRoot can verify it without /etc/passwd.
USER 1000:1000
# Docker / compose only; Kubernetes uses the Deployment's probes instead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/usr/local/lib/relationship/healthcheck.mjs", "/health/live"]
# The services close HTTP, drain the outbox relay and Kafka consumers, and exit on SIGTERM (enableShutdownHooks).
STOPSIGNAL SIGTERM
CMD ["node", "main.js"]
