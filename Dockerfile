# BikeBot: one `bikebot serve` replica. Build: docker build -t bikebot .
# Run several behind a load balancer with Redis: see deploy/compose.yaml and the
# README, "Running several replicas".
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Scripts off: "prepare" would build before the sources are copied; the native module is built explicitly.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/prebuild-serializers.mjs scripts/bundle.mjs scripts/code-cache.mjs ./scripts/
COPY bin ./bin
COPY public ./public
COPY data ./data
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    BIKEBOT_HOST=:: \
    BIKEBOT_PORT=8080 \
    BIKEBOT_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/public ./public
COPY --from=build /app/data ./data
COPY package.json ./
# Never root: the image's own unprivileged user, owning only its data folder.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Liveness only (/healthz): readiness (/readyz, 503 without data) is for the load balancer.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "bin/bikebot.js", "serve"]
