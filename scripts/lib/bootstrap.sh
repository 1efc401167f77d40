# Shared by dev.sh and test.sh: everything a fresh machine with only Node and npm needs.
# Idempotent: each step checks before it acts. Source it; it defines functions and runs nothing.

PNPM_VERSION="10.34.9"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
is_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }

require_node() {
  command -v node >/dev/null || die "Node.js >= 20.19 is required (https://nodejs.org)."
  # 20.19: the first 20.x that can require() the ESM-only packages (package.json "engines").
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js >= 20.19 is required; found $(node -v)."
}

# corepack's signature check fails against some registry mirrors; a pinned global install works.
ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm -v 2>/dev/null)" = "$PNPM_VERSION" ]; then return; fi
  say "installing pnpm@$PNPM_VERSION"
  if ! npm i -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    # No permission for a global install: keep a private copy in the repo.
    npm i --prefix "$ROOT/.dev/pnpm" "pnpm@$PNPM_VERSION" >/dev/null || die "could not install pnpm with npm"
    export PATH="$ROOT/.dev/pnpm/node_modules/.bin:$PATH"
  fi
  hash -r
}

install_deps() {
  say "installing dependencies"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only | grep -vE '^(Progress|Packages:|\+)' | tail -n 5)
}

# True when something accepts TCP connections on host:port.
port_open() { node -e 'const s=require("net").connect(+process.argv[2],process.argv[1]);s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),1500)' "$1" "$2"; }

wait_port() { for _ in $(seq 1 30); do port_open "$1" "$2" && return 0; sleep 1; done; return 1; }

ensure_postgres() {
  if port_open 127.0.0.1 5432; then return; fi
  if ! is_debian; then
    die "Postgres is not reachable on 127.0.0.1:5432. Start one (user postgres, trust auth), e.g.
       docker compose -f infra/compose.yaml up -d postgres redis"
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL (Debian package)"
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
      || die "could not install postgresql with apt-get"
  fi
  local version; version=$(ls /etc/postgresql | sort -n | tail -1)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Local development only: trust loopback connections, as the test suite and dev script expect.
  if ! as_root grep -q '^host all postgres 127.0.0.1/32 trust' "$hba"; then
    as_root sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  fi
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
  wait_port 127.0.0.1 5432 || die "PostgreSQL did not start on 127.0.0.1:5432"
}

ensure_redis() {
  if port_open 127.0.0.1 6379; then return; fi
  if ! is_debian; then
    die "Redis is not reachable on 127.0.0.1:6379. Start one, e.g.
       docker compose -f infra/compose.yaml up -d postgres redis"
  fi
  if ! command -v redis-server >/dev/null; then
    say "installing Redis (Debian package)"
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null \
      || die "could not install redis-server with apt-get"
  fi
  say "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/inbox-dev.log
  wait_port 127.0.0.1 6379 || die "Redis did not start on 127.0.0.1:6379"
}

# The dashboard's browser tests drive Debian's Chromium (never a downloaded browser). Only the test
# command needs it: dev.sh does not call this.
ensure_chromium() {
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then return; fi
  if ! is_debian; then
    die "Chromium is not at ${CHROMIUM_PATH:-/usr/bin/chromium}; the dashboard's browser tests need it.
       Install Chromium and set CHROMIUM_PATH to its executable (the tests use playwright-core, no browser download)."
  fi
  say "installing Chromium (Debian package) for the dashboard's browser tests"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || die "could not install chromium with apt-get"
}

# The PgBouncer test runs its own pgbouncer (Debian's package, 1.18+) in front of the shared Postgres.
# Only the test command needs it. Elsewhere: brew install pgbouncer (macOS), or your distribution's package.
ensure_pgbouncer() {
  if command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ]; then return; fi
  if ! is_debian; then
    die "pgbouncer is not installed; the PgBouncer test needs it. Install it (macOS: brew install pgbouncer; other
       Linux: your distribution's pgbouncer package) so that pgbouncer is on PATH."
  fi
  say "installing PgBouncer (Debian package) for the pooler test"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null \
    || die "could not install pgbouncer with apt-get"
}

# The alerting rules' tests run promtool (Debian's prometheus package brings it). Only the test command
# needs it; elsewhere the test skips with a message (install promtool from prometheus.io to run it).
ensure_promtool() {
  if command -v promtool >/dev/null; then return; fi
  if ! is_debian; then
    say "promtool not found: the alerting rules' promtool tests will be skipped (install Prometheus's promtool to run them)"
    return
  fi
  say "installing promtool (Debian package prometheus) for the alerting rules' tests"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
    || die "could not install prometheus (promtool) with apt-get"
}

build_all() {
  say "building"
  (cd "$ROOT" && pnpm -s turbo run build --output-logs=errors-only)
}

bootstrap() {
  require_node
  ensure_pnpm
  install_deps
  ensure_postgres
  ensure_redis
  build_all
}
