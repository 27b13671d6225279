# syntax=docker/dockerfile:1
#
# The portal (Angular, frontend/portal):
#
#   docker build -f docker/portal.Dockerfile -t relationship/portal:dev .
#
# build   : `npm ci` + `nx build portal --configuration=production` (static browser files).
# deps    : serve.mjs's packages (fastify, @fastify/static, @fastify/http-proxy) at package.json's exact versions,
#           installed against the workspace lockfile, so every package under them is the version the tests ran with.
# runtime : node + frontend/portal/serve.mjs + those node_modules + the browser files. serve.mjs serves the files
#           (SPA fallback, long-lived caching of hashed bundles) on PORTAL_PORT and streams /api/* to GATEWAY_URL;
#           /health/live and /health/ready.
#
# Why serve.mjs and not nginx: it is the portal's own, tested server (`make up` runs it too), so the container
# proxies /api exactly as development does: request ids, X-Forwarded-*, hop-by-hop headers, streamed SSE and
# websockets, a 502 in the API's error format when the gateway is down. Nothing to keep in sync with a second proxy
# configuration. The gateway address is an environment variable, not a host name fixed at build time; and the image
# shares the services' base image, non-root user, healthcheck script and SIGTERM shutdown. The price, a bigger
# image than nginx:alpine (node_modules is ~30 MB) and a slower static file server, does not matter for an internal
# portal; in Kubernetes the Ingress sends /api straight to the gateway, and a CDN or the Ingress can cache the
# static files.

FROM node:24-bookworm-slim AS build
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true CI=true NG_CLI_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# Where `nx build portal` writes the browser files (the Angular application builder's outputPath + /browser).
ARG PORTAL_DIST=dist/frontend/portal/browser
RUN npx nx build portal --configuration=production \
 && test -f "${PORTAL_DIST}/index.html" \
 && mkdir -p /out \
 && cp -R "${PORTAL_DIST}/." /out/

FROM node:24-bookworm-slim AS deps
# Every package serve.mjs imports (tests/deploy checks this list against its imports and package.json).
ARG SERVER_PACKAGES="fastify @fastify/static @fastify/http-proxy"
WORKDIR /app
COPY package.json package-lock.json /workspace/
# A package.json naming only those packages at the workspace's versions; `npm install` keeps the lockfile's versions
# of everything under them and drops the rest.
RUN --mount=type=cache,target=/root/.npm node -e 'const root = require("/workspace/package.json"); \
      const names = process.env.SERVER_PACKAGES.split(/\s+/).filter(Boolean); \
      for (const n of names) if (!root.dependencies[n]) throw new Error(n + " is not a dependency in package.json"); \
      require("fs").writeFileSync("package.json", JSON.stringify({ name: "relationship-portal-server", private: true, \
        dependencies: Object.fromEntries(names.map((n) => [n, root.dependencies[n]])) }));' \
 && cp /workspace/package-lock.json ./ \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="relationship-portal" \
      org.opencontainers.image.description="Relationship platform portal (Angular) and its /api proxy"
# Defaults for a container; compose and Kubernetes set them explicitly too.
ENV NODE_ENV=production PORTAL_HOST=0.0.0.0 PORTAL_PORT=4200 PORTAL_DIST=/app/browser GATEWAY_URL=http://gateway:3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY frontend/portal/serve.mjs ./serve.mjs
COPY --from=build /out/ ./browser/
COPY docker/healthcheck.mjs /usr/local/lib/relationship/healthcheck.mjs
USER 1000:1000
EXPOSE 4200
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "/usr/local/lib/relationship/healthcheck.mjs", "/health/live"]
# serve.mjs stops accepting, lets requests finish, cuts streams still open after 5 s and exits on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["node", "serve.mjs"]
