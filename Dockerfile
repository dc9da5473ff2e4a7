# Cloudiff: stateless replicas over a read-only SQLite file built from the seed when the image is built.
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
# the database built ahead (npm run db:build): migrated, seeded, indexed, VACUUMed, without write permission
COPY migrations ./migrations
COPY seed ./seed
RUN SEED_DIR=seed node dist/seed/build.js /app/data/cloudiff.sqlite

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DB_PATH=/app/data/cloudiff.sqlite \
    SEED_DIR=/app/seed \
    LOG_LEVEL=info
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=deps /app/dist ./dist
COPY src ./src
COPY migrations ./migrations
COPY seed ./seed
COPY openapi ./openapi
COPY bin ./bin
COPY scripts ./scripts
COPY --from=deps /app/data ./data
USER node
EXPOSE 3000
# as `npm start`: plain JavaScript compiled by esbuild, under V8 memory flags derived from MEMORY_LIMIT_MB (set it
# to the container's memory limit; scripts/start.sh execs node). The server opens the built database read-only
# (reads are served, writes answer 503); with DB_PATH on a writable volume it creates and seeds its own.
CMD ["sh", "scripts/start.sh"]
