# The application image for the scaled setup (docker-compose.yml): PostgreSQL and Temporal run as their own
# services, configured by environment. TypeScript runs through tsx, a runtime dependency, so there is no
# build step and dev dependencies stay out of the image.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .
RUN mkdir -p /app/data && chown node:node /app/data
USER node

ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
EXPOSE 3000

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# What `npm start` runs, without npm and tsx's launcher in between: `docker stop` sends SIGTERM to this one
# process, and npm would exit without passing it on, leaving the app to be killed after the grace period.
CMD ["node", "--import", "tsx", "main.ts"]
