# The modelgate GitHub App. Build: docker build -t modelgate-app .
# Run: docker run -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET -e MODELGATE_STATE_KEY -e PROMETHEUS_URL -p 3000:3000 modelgate-app
# (MODELGATE_STATE_KEY is optional but recommended: without it the state key is derived from PRIVATE_KEY.)
# One container, or N replicas sharing a Redis: add -e REDIS_URL=redis://redis:6379 to each (docs/app.md).
# Metrics: GET /metrics on the same port (MODELGATE_METRICS_TOKEN to require a bearer token); alerting
# rules for them: deploy/prometheus/modelgate-alerts.yml.
#
# The image holds the compiled app (tsc output of src/app and the core and io it imports) and only the
# app's dependencies: app/package.json names them, and the one package-lock.json pins them for the
# whole repository (app/ is an npm workspace), so the image runs the versions the tests ran.
# Node's major follows .node-version (test/dist/node-version.test.ts holds them together).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY app/package.json ./app/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY app/package.json ./app/
# The app workspace's dependencies only: no CLI/Action bundle dependencies, no dev tooling.
RUN npm ci --omit=dev --workspace=app --no-audit --no-fund && npm cache clean --force
# The app's code only (build/cli and build/action need packages this image does not install).
COPY --from=build /app/build/app ./build/app
COPY --from=build /app/build/core ./build/core
COPY --from=build /app/build/io ./build/io
USER node
EXPOSE 3000
# node is PID 1 (exec form, no shell in between): main.js handles SIGTERM and SIGINT itself (stop
# listening, let running canary jobs finish, exit 0) and starts no child processes, so no init is
# needed to forward signals or reap zombies.
# Not `probot run`: main.js puts a 25 MB body limit and the signature check in front of Probot.
CMD ["node", "build/app/main.js"]
