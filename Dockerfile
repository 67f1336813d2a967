# syntax=docker/dockerfile:1
# kro-ts controller image (spec 05 §11): multi-stage, Node 22, non-root UID/GID 65532, no writable
# filesystem needed. Build: `docker build -t kro-ts:dev .` (the build compiles TypeScript itself;
# no local dist/ is used). Checked by hack/check-image.ts (structure) and test/e2e/image.test.ts
# (the runtime stage's files are enough for `node dist/main.js`). Base images are pinned by exact
# tag; hack/pin-image-digests.sh adds @sha256 digests where a registry is reachable.
#
# Runtime base: node slim rather than distroless. Distroless nodejs22 images have no version tag
# (only floating tags such as :nonroot), so they can be pinned by digest alone; the slim image is
# pinned by its exact Node version and has npm, npx, corepack and yarn removed below.

# --- build: compile TypeScript with the full dependency set ---
FROM node:22.23.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- prod-deps: runtime dependencies only (none of them needs an install script) ---
FROM node:22.23.3-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM node:22.23.3-bookworm-slim AS runtime
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production \
    HOME=/tmp
WORKDIR /app
# package.json carries "type": "module", which dist/ needs; src/schema/bundled serves the offline
# CLI (`node dist/cli/main.js`) shipped in the same image.
COPY package.json ./
COPY src/schema/bundled ./src/schema/bundled
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 65532:65532
EXPOSE 8078 8079
ENTRYPOINT ["node", "dist/main.js"]
