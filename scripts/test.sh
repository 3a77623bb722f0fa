#!/usr/bin/env bash
# The test command behind `npm test`: type check, lint and format check, then every test
# under test/ inside a network namespace that has only the loopback interface,
# so no test traffic can leave the machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NOC_ROOT"

echo "[test] type check"
npm run --silent typecheck
echo "[test] lint"
npm run --silent lint
echo "[test] format (Prettier; npm run format fixes it)"
npm run --silent format:check

files=("$@")
[ ${#files[@]} -gt 0 ] || files=("test/**/*.test.ts")
echo "[test] tests, in a network namespace with only lo"
noc_isolated node --test --test-concurrency=1 "${files[@]}"
