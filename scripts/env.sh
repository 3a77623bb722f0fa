# Shared settings for the project's shell scripts: pinned versions, the cache
# folder and the PATH that puts the project's Node.js first. Source it; it has
# no side effects beyond exporting variables and defining small functions.

NOC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NOC_ROOT

# Versions the project is pinned to.
export NOC_NODE_VERSION="24.22.3"
export NOC_MEDIASOUP_VERSION="3.27.1"
export NOC_INFLUXD_VERSION="1.12.2"
export NOC_INFLUXD2_VERSION="2.7.12"
# Go builds influxd; an older Go on the machine gives way to this one.
export NOC_GO_MIN="1.23"
export NOC_GO_VERSION="1.26.8"

# Tools that are built or downloaded once per machine live here, keyed by version,
# so a fresh clone (and CI) on a machine that already ran the setup reuses them.
export NOC_CACHE="${NOC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/online-room-noc}"

export NOC_NODE_DIR="$NOC_CACHE/node-v$NOC_NODE_VERSION"
export NOC_WORKER_BIN="$NOC_CACHE/mediasoup-worker-$NOC_MEDIASOUP_VERSION/mediasoup-worker"
export NOC_GO_DIR="$NOC_CACHE/go-$NOC_GO_VERSION"
export NOC_INFLUXD_BIN="$NOC_CACHE/influxd-$NOC_INFLUXD_VERSION/influxd"
export NOC_INFLUXD2_BIN="$NOC_CACHE/influxd-$NOC_INFLUXD2_VERSION/influxd"

# Node 24 or newer already on the machine is used as it is; otherwise the pinned
# Node 24 from the cache goes first on PATH.
noc_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -x "$NOC_NODE_DIR/bin/node" ] && [[ ":$PATH:" != *":$NOC_NODE_DIR/bin:"* ]]; then
  export PATH="$NOC_NODE_DIR/bin:$PATH"
fi

if [ -x "$NOC_GO_DIR/bin/go" ] && [[ ":$PATH:" != *":$NOC_GO_DIR/bin:"* ]]; then
  export PATH="$NOC_GO_DIR/bin:$PATH"
fi

# mediasoup reads this both when it installs and when it starts a worker.
if [ -z "${MEDIASOUP_WORKER_BIN:-}" ] && [ -x "$NOC_WORKER_BIN" ]; then
  export MEDIASOUP_WORKER_BIN="$NOC_WORKER_BIN"
fi

# Artillery (loadtest/) depends on Playwright, whose browser package would
# download a Chromium of its own; the load tests use Debian's /usr/bin/chromium.
# Artillery would also send usage telemetry on every run.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export ARTILLERY_DISABLE_TELEMETRY=true

# "3m05s" for a number of seconds.
noc_duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# Runs a command in a network namespace of its own that has only the loopback
# interface, so nothing it starts (servers, browsers, load) can reach beyond the
# machine. Tests and benchmarks run this way.
noc_isolated() {
  command -v unshare >/dev/null || { echo "error: unshare is missing; run: bash scripts/setup.sh apt" >&2; return 1; }
  command -v ip >/dev/null || { echo "error: ip (iproute2) is missing; run: bash scripts/setup.sh apt" >&2; return 1; }
  local ns=(-n)
  [ "$(id -u)" = 0 ] || ns=(-r -n) # an unprivileged user namespace where root is not at hand
  unshare "${ns[@]}" bash -c 'ip link set lo up && exec "$@"' bash "$@"
}
