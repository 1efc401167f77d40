#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, checks Postgres and Redis,
# builds, then lint, typecheck and every package's tests (unit, integration, end-to-end, and the
# dashboard's in Debian's Chromium, which it installs when missing).
set -euo pipefail
source "$(dirname "$0")/lib/bootstrap.sh"
bootstrap
ensure_chromium
ensure_pgbouncer
ensure_promtool
cd "$ROOT"

say "lint"
pnpm -s lint
say "typecheck"
pnpm -s turbo run typecheck --output-logs=errors-only

say "tests"
rm -rf .test-results && mkdir -p .test-results
status=0
pnpm -s turbo run test --concurrency=2 --continue --output-logs=full || status=$?
node scripts/lib/summarize-tests.mjs .test-results || status=$?
exit $status
