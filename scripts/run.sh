#!/usr/bin/env bash
# The one entry point of every npm script (`npm start`, `npm test`, `npm run
# check`, `npm run build`, `npm run bench:*`, and the folders' own scripts such
# as `npm run agent -w probes`): runs the whole setup (each step
# checks for itself and does nothing when all is there), builds the dashboard
# when its sources changed, then runs the command with the project's Node.js,
# so every command works from a new shell on a fresh machine.
#
#   bash scripts/run.sh start | test [files…] | check | build | grafana | bench <name> | loadtest [args…]
#   bash scripts/run.sh backup --to <folder> [options…] | restore --from <folder> [options…]   (deploy/README.md)
#   bash scripts/run.sh exec <program> [args…]   (in the caller's folder, e.g. `exec node src/agent/index.ts`)
set -euo pipefail
caller_dir="$PWD"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NOC_ROOT"

# The benchmarks, by the name their npm script carries (bench:<name>).
declare -A BENCHES=(
  [sfu]=sfu/bench/sfu-capacity.ts
  [ingest]=dashboard/bench/ingest.ts
  [wall]=dashboard/bench/wall.ts
  [incidents]=dashboard/bench/incidents.ts
  [scale]=dashboard/bench/scale.ts
  [report]=dashboard/bench/report.ts
)

usage() {
  echo "usage: bash scripts/run.sh start | test [files…] | check | build | grafana | bench <$(IFS='|'; echo "${!BENCHES[*]}")> | loadtest [args…] | backup [args…] | restore [args…] | exec <program> [args…]" >&2
  exit 2
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  start | test | check | build | grafana | loadtest | backup | restore) ;;
  bench) [ -n "${1:-}" ] && [ -n "${BENCHES[$1]:-}" ] || usage ;;
  exec) [ -n "${1:-}" ] || usage ;;
  *) usage ;;
esac

# The tests also need what only they use (a second InfluxDB, 2.x).
if [ "$cmd" = test ]; then bash scripts/setup.sh test; else bash scripts/setup.sh; fi
source scripts/env.sh # the PATH and worker of a setup that just ran

build_dashboard() {
  echo "[run] building the dashboard"
  npm run --silent build -w dashboard
}
# The built dashboard is older than its sources: build it again.
dashboard_stale() {
  local stamp=dashboard/dist/index.html
  [ ! -f "$stamp" ] || [ -n "$(find dashboard/src dashboard/index.html dashboard/vite.config.ts shared/src shared/data -newer "$stamp" -print -quit)" ]
}

case "$cmd" in
  start)
    if dashboard_stale; then build_dashboard; fi
    exec node scripts/start.ts
    ;;
  test)
    if dashboard_stale; then build_dashboard; fi
    exec bash scripts/test.sh "$@"
    ;;
  check) npm run --silent typecheck && npm run --silent lint && npm run --silent format:check ;;
  build) build_dashboard ;;
  grafana) exec node grafana/src/build.ts ;; # the Grafana dashboards' JSON from grafana/src
  bench)
    if dashboard_stale; then build_dashboard; fi
    # Benchmarks start servers and browsers: they run with only loopback, like the tests.
    noc_isolated node "${BENCHES[$1]}"
    ;;
  loadtest)
    if dashboard_stale; then build_dashboard; fi
    # A private system runs with only loopback, like the benchmarks; a NOC server named with --noc
    # is reached over the machine's own network.
    case " $* " in
      *" --noc "* | *" --noc="*) exec node loadtest/src/cli.ts "$@" ;;
      *) noc_isolated node loadtest/src/cli.ts "$@" ;;
    esac
    ;;
  # The NOC server's data and samples, while it runs, and back into a fresh data folder (deploy/).
  backup | restore)
    cd "$caller_dir"
    exec node "$NOC_ROOT/deploy/src/$cmd.ts" "$@"
    ;;
  exec)
    cd "$caller_dir"
    exec "$@"
    ;;
esac
