# Placeholder until the "Ship it" issue: a multi-stage, non-root image running `node dist/main.js`.
FROM node:22.23.3-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY dist ./dist
USER 65532:65532
ENTRYPOINT ["node", "dist/main.js"]
