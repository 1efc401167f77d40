#!/usr/bin/env bash
# Starts the platform locally: installs what it needs, checks Postgres and Redis, builds, applies
# migrations, runs the API and the dispatcher, and prints a demo account's API key.
#
#   ./scripts/dev.sh           readable logs: pino-pretty, one coloured name per app
#   ./scripts/dev.sh --watch   also rebuild what you edit and restart the app(s) it affects (pnpm dev:watch)
#   LOG_FORMAT=json ./scripts/dev.sh   the apps' JSON lines as they are
#
# Ports: PORT (3000), DISPATCHER_PORT (3001), API_METRICS_PORT (9464), DISPATCHER_METRICS_PORT (9465).
set -euo pipefail

watch=false
for arg in "$@"; do
  case "$arg" in
    -w | --watch) watch=true ;;
    -h | --help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) printf 'unknown option: %s (usage: ./scripts/dev.sh [--watch])\n' "$arg" >&2; exit 2 ;;
  esac
done
LOG_FORMAT="${LOG_FORMAT:-pretty}"
case "$LOG_FORMAT" in pretty | json) ;; *) printf 'LOG_FORMAT must be pretty or json, not %s\n' "$LOG_FORMAT" >&2; exit 2 ;; esac

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
API_METRICS_PORT="${API_METRICS_PORT:-9464}"
DISPATCHER_METRICS_PORT="${DISPATCHER_METRICS_PORT:-9465}"

# One process's output, as it is (LOG_FORMAT=json) or readable, prefixed with its name in a colour.
logs() { if [ "$LOG_FORMAT" = json ]; then cat; else node scripts/lib/pretty-logs.mjs "$@"; fi; }

# What runs in the background, by name; each is stopped when this script ends, however it ends.
names=()
pids=()
stop_all() {
  if [ ${#pids[@]} -gt 0 ]; then kill "${pids[@]}" 2>/dev/null || true; fi
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "migrating $DATABASE_URL"
pnpm -s db:migrate

api_flags=()
dispatcher_flags=()
if $watch; then
  # Apps start once the first builds are written, so that first emit does not restart them.
  rm -f .dev/watch-ready
  say "watching for changes: apps/{api,dispatcher}/src and packages/{server,db,events,signing}/src"
  # Process substitution, not a pipe: $! stays the node process's id.
  node scripts/lib/watch-build.mjs .dev/watch-ready > >(logs build yellow) 2>&1 &
  names+=(build) pids+=($!)
  until [ -f .dev/watch-ready ]; do
    kill -0 "${pids[0]}" 2>/dev/null || die "the watch build exited (see its log above)"
    sleep 0.5
  done
  # node --watch restarts the app when one of these changes (changes close together: one restart).
  # Only these paths: not node_modules, not the sources (the builder's output is what runs).
  # Spelled `--watch-path DIR`, with --watch-preserve-output last: Node 20 drops the argument after
  # each --watch* flag when it starts the app, so `--watch-path=DIR` twice left the app a watcher too.
  shared=(--watch-path packages/server/dist --watch-path packages/db/dist
    --watch-path packages/events/dist --watch-path packages/signing/dist)
  api_flags=("${shared[@]}" --watch-path apps/api/dist --watch-preserve-output)
  dispatcher_flags=("${shared[@]}" --watch-path apps/dispatcher/dist --watch-preserve-output)
fi

say "starting API (:$PORT, metrics :$API_METRICS_PORT) and dispatcher (health :$DISPATCHER_PORT, metrics :$DISPATCHER_METRICS_PORT)"
# With --watch, $! is node's watcher, which restarts the app and stays up when the app fails (it
# says so in the app's log and waits for the next change).
METRICS_PORT=$API_METRICS_PORT node ${api_flags[@]+"${api_flags[@]}"} apps/api/dist/main.js > >(logs api cyan) 2>&1 &
names+=(api) pids+=($!)
api=$!
METRICS_PORT=$DISPATCHER_METRICS_PORT node ${dispatcher_flags[@]+"${dispatcher_flags[@]}"} \
  apps/dispatcher/dist/main.js > >(logs dispatcher magenta) 2>&1 &
names+=(dispatcher) pids+=($!)

api_ready() { node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$PORT/health/ready"; }
ready=false
for _ in $(seq 1 60); do
  api_ready && { ready=true; break; }
  kill -0 $api 2>/dev/null || die "the API exited during start-up (see its log above)"
  sleep 0.5
done
if ! $ready; then
  $watch || die "the API did not answer /health/ready on :$PORT within 30 s (see its log above)"
  say "the API is not ready yet (see its log above): fix it and save, it restarts; the demo key follows once it answers"
  until api_ready; do kill -0 $api 2>/dev/null || die "the API's watcher exited"; sleep 1; done
fi
node scripts/lib/demo-account.mjs "http://localhost:$PORT"

# Until one of them ends: then say which, and stop the others (the EXIT trap) with a failure status.
status=0
wait -n "${pids[@]}" || status=$?
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    printf '\033[31merror:\033[0m the %s process exited (status %s); stopping the others\n' "${names[$i]}" "$status" >&2
  fi
done
exit $((status == 0 ? 1 : status))
