# syntax=docker/dockerfile:1
#
# The portal (Angular, frontend/portal):
#
#   docker build -f docker/portal.Dockerfile -t relationship/portal:dev .
#
# build   : `npm ci` + `nx build portal --configuration=production` (static browser files).
# runtime : node + frontend/portal/serve.mjs + those files. serve.mjs serves them (SPA fallback, long-lived caching
#           of hashed bundles) on PORTAL_PORT and streams /api/* to GATEWAY_URL; /health/live and /health/ready.
#
# Why serve.mjs and not nginx: it is the portal's own, tested server (`make up` runs it too), so the container
# proxies /api exactly as development does: request ids, X-Forwarded-*, hop-by-hop headers, streamed SSE, a 502 in
# the API's error format when the gateway is down. Nothing to keep in sync with a second proxy configuration. It
# uses Node built-ins only (tests/deploy checks that), so the image needs no node_modules; the gateway address is
# an environment variable resolved per connection, not a host name fixed at start-up; and it shares the services'
# base image, non-root user, healthcheck script and SIGTERM shutdown. The price, a bigger image than nginx:alpine
# and a slower static file server, does not matter for an internal portal; in Kubernetes the Ingress sends /api
# straight to the gateway, and a CDN or the Ingress can cache the static files.

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

FROM node:24-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="relationship-portal" \
      org.opencontainers.image.description="Relationship platform portal (Angular) and its /api proxy"
# Defaults for a container; compose and Kubernetes set them explicitly too.
ENV NODE_ENV=production PORTAL_HOST=0.0.0.0 PORTAL_PORT=4200 PORTAL_DIST=/app/browser GATEWAY_URL=http://gateway:3000
WORKDIR /app
COPY frontend/portal/serve.mjs ./serve.mjs
COPY --from=build /out/ ./browser/
COPY docker/healthcheck.mjs /usr/local/lib/relationship/healthcheck.mjs
USER 1000:1000
EXPOSE 4200
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "/usr/local/lib/relationship/healthcheck.mjs", "/health/live"]
# serve.mjs stops accepting, ends open streams and exits on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["node", "serve.mjs"]
