# Cloudiff: one stateless process over a SQLite file built from the seed at start-up.
# Build: docker build -t cloudiff .   Run: docker run -p 3000:3000 cloudiff
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles its native addon when no prebuilt binary can be fetched
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
RUN node scripts/build.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DB_PATH=/data/cloudiff.sqlite \
    SEED_DIR=/app/seed \
    LOG_LEVEL=info
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=deps /app/dist ./dist
COPY src ./src
COPY migrations ./migrations
COPY seed ./seed
COPY bin ./bin
COPY scripts ./scripts
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# as `npm start`: plain JavaScript compiled by esbuild, under V8 memory flags derived from MEMORY_LIMIT_MB (set it
# to the container's memory limit; scripts/start.sh execs node). The database is created and seeded on start.
CMD ["sh", "scripts/start.sh"]
