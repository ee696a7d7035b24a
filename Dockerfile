# Mosaic CRM kernel. Built by docker-compose.yml, which runs it against its own PostgreSQL
# (DATABASE_URL); without DATABASE_URL the image would start an embedded PostgreSQL instead.
FROM node:20-bookworm-slim

# argon2 and isolated-vm build native code with node-gyp during `npm ci`.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# /var/lib/mosaic holds the generated secret key (a volume in docker-compose.yml); a new named volume
# takes this folder's owner, so the unprivileged user can write it.
RUN chown node:node /app && mkdir -p /var/lib/mosaic && chown node:node /var/lib/mosaic
# Postgres and the kernel both refuse or do not need root; `node` is the image's unprivileged user.
USER node

# The whole tree goes in before `npm ci`: the workspaces (plugins/*) each bring a package.json and
# COPY cannot keep their folders from a glob. .dockerignore keeps node_modules and data out.
COPY --chown=node:node . .
# Dev dependencies are installed on purpose: the kernel runs its TypeScript through tsx.
RUN npm ci && npm cache clean --force

ENV HOST=0.0.0.0 \
    PORT=3000
EXPOSE 3000

# Exec form, so node itself receives SIGTERM from `docker stop` and shuts down cleanly.
# The same command as `npm start` (package.json), without npm in between to swallow the signal.
CMD ["node", "--no-node-snapshot", "--import", "tsx", "kernel/src/main.ts"]
