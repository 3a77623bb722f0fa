#!/usr/bin/env bash
# Entry point of `npm start`, `npm test` and `npm run check`: runs the setup
# steps that are still missing, builds the dashboard when its sources changed,
# then hands over to the command with the project's Node.js.
#
#   bash scripts/run.sh start|test|check
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NOC_ROOT"

cmd="${1:-}"
case "$cmd" in start|test|check) ;; *) echo "usage: bash scripts/run.sh start|test|check" >&2; exit 2 ;; esac

need=()
[ "$(noc_node_major)" -ge 24 ] || need+=(node)
if [ "$cmd" = test ]; then
  for bin in /usr/bin/influxd /usr/bin/chromium /lib/nut/upsd /lib/nut/dummy-ups /usr/bin/ffmpeg; do
    [ -x "$bin" ] || { need+=(apt); break; }
  done
fi
[ -x "$NOC_WORKER_BIN" ] || [ -n "${MEDIASOUP_WORKER_BIN:-}" ] || need+=(worker)
if [ "$cmd" = test ] && [ ! -x "$NOC_K6_BIN" ]; then need+=(k6); fi
need+=(npm) # checks the lock file's stamp; a no-op when dependencies are current
bash scripts/setup.sh "${need[@]}"
source scripts/env.sh

if [ "$cmd" != check ]; then
  stamp=dashboard/dist/index.html
  if [ ! -f "$stamp" ] || [ -n "$(find dashboard/src dashboard/index.html dashboard/vite.config.ts shared/src shared/data -newer "$stamp" -print -quit)" ]; then
    echo "[run] building the dashboard"
    npm run --silent build
  fi
fi

case "$cmd" in
  start) exec node scripts/start.ts ;;
  check) npm run --silent typecheck && npm run --silent lint ;;
  test) exec bash scripts/test.sh ;;
esac
