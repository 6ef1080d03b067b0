# The modelgate GitHub App. Build: docker build -t modelgate-app .
# Run: docker run -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -e MODELGATE_STATE_KEY -e PROMETHEUS_URL -p 3000:3000 modelgate-app
# (MODELGATE_STATE_KEY is optional but recommended: without it the state key is derived from PRIVATE_KEY.)
# One container, or N replicas sharing a Redis: add -e REDIS_URL=redis://redis:6379 to each (docs/app.md).
# Metrics: GET /metrics on the same port (MODELGATE_METRICS_TOKEN to require a bearer token); alerting
# rules for them: deploy/prometheus/modelgate-alerts.yml.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build ./build
USER node
EXPOSE 3000
# Not `probot run`: main.js puts a 25 MB body limit and the signature check in front of Probot.
CMD ["node", "build/app/main.js"]
