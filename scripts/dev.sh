#!/usr/bin/env bash
# Starts the platform locally: installs what it needs, checks Postgres and Redis, builds, applies
# migrations, runs the API and the dispatcher, and prints a demo account's API key.
set -euo pipefail
source "$(dirname "$0")/lib/bootstrap.sh"
bootstrap
cd "$ROOT"

# Secrets for this machine, made once and kept, so sealed webhook secrets stay readable across restarts.
mkdir -p .dev
if [ ! -f .dev/env ]; then
  node -e 'const c=require("crypto");console.log(`INBOX_INTERNAL_TOKEN=dev_${c.randomBytes(24).toString("hex")}\nINBOX_SECRET_KEY=${c.randomBytes(32).toString("base64")}`)' > .dev/env
  chmod 600 .dev/env
fi
set -a
source .dev/env
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/inbox}"
: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
: "${PORT:=3000}"
: "${DISPATCHER_PORT:=3001}"
# Local receivers (ngrok, http://localhost:...) are fine on a laptop; production never sets these.
INBOX_ALLOW_HTTP=true
INBOX_ALLOW_PRIVATE_URLS=true
set +a

say "migrating $DATABASE_URL"
pnpm -s db:migrate

say "starting API (:$PORT, metrics :9464) and dispatcher (health :$DISPATCHER_PORT, metrics :9465)"
METRICS_PORT=9464 node apps/api/dist/main.js &
api=$!
METRICS_PORT=9465 node apps/dispatcher/dist/main.js &
dispatcher=$!
trap 'kill $api $dispatcher 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 60); do
  node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$PORT/health/ready" && break
  kill -0 $api 2>/dev/null || die "the API exited during start-up (see its log above)"
  sleep 0.5
done
node scripts/lib/demo-account.mjs "http://localhost:$PORT"

wait -n $api $dispatcher
