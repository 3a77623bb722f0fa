#!/usr/bin/env bash
# The test command behind `npm test`: type check and lint, then every test
# under test/ inside a network namespace that has only the loopback interface,
# so no test traffic can leave the machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NOC_ROOT"

echo "[test] type check"
npm run --silent typecheck
echo "[test] lint"
npm run --silent lint

command -v unshare >/dev/null || { echo "[test] error: unshare is missing; run: bash scripts/setup.sh apt" >&2; exit 1; }
command -v ip >/dev/null || { echo "[test] error: ip (iproute2) is missing; run: bash scripts/setup.sh apt" >&2; exit 1; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("test/**/*.test.ts")
echo "[test] tests, in a network namespace with only lo"
ns=(-n)
[ "$(id -u)" = 0 ] || ns=(-r -n) # an unprivileged user namespace where root is not at hand
exec unshare "${ns[@]}" bash -c 'ip link set lo up && exec node --test --test-concurrency=1 "$@"' bash "${files[@]}"
