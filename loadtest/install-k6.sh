#!/usr/bin/env bash
# Builds k6 from source with the Go toolchain (go install go.k6.io/k6@$NOC_K6_VERSION)
# and puts the binary at $NOC_K6_BIN, the per-version cache path from scripts/env.sh.
# Idempotent: if the binary is already there it says so and exits 0.
#
#   bash loadtest/install-k6.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"

say() { printf '[k6] %s\n' "$*"; }
die() { printf '[k6] error: %s\n' "$*" >&2; exit 1; }

if [ -x "$NOC_K6_BIN" ]; then
  say "already installed: $NOC_K6_BIN ($("$NOC_K6_BIN" version 2>/dev/null | head -n1))"
  exit 0
fi

# The official Go tarball lives in /usr/local/go and is often not on a
# non-login shell's PATH; Debian's golang-go puts go in /usr/bin, and Debian 12's
# is too old for current k6. When both exist, use the newer one.
go_version() { "$1" env GOVERSION 2>/dev/null | sed 's/^go//'; }
best_go="$(command -v go || true)"
if [ -x /usr/local/go/bin/go ] && [ "$best_go" != /usr/local/go/bin/go ]; then
  if [ -z "$best_go" ] || [ "$(printf '%s\n%s\n' "$(go_version "$best_go")" "$(go_version /usr/local/go/bin/go)" | sort -V | tail -n1)" = "$(go_version /usr/local/go/bin/go)" ]; then
    export PATH="/usr/local/go/bin:$PATH"
  fi
fi
command -v go >/dev/null || die "the Go toolchain is missing; install it with: apt-get install golang-go (or run: bash scripts/setup.sh apt)"
say "using $(go version) at $(command -v go)"

dest_dir="$(dirname "$NOC_K6_BIN")"
mkdir -p "$dest_dir"
gobin="$(mktemp -d)"
trap 'rm -rf "$gobin"; rm -f "$NOC_K6_BIN.tmp.$$"' EXIT

say "building go.k6.io/k6@$NOC_K6_VERSION (first build downloads modules and takes a few minutes)"
start=$(date +%s)
# CGO is not needed by k6 and turning it off gives a static binary.
GOBIN="$gobin" CGO_ENABLED=0 go install -trimpath "go.k6.io/k6@$NOC_K6_VERSION"
elapsed=$(( $(date +%s) - start ))
[ -x "$gobin/k6" ] || die "go install finished but $gobin/k6 is missing"

# Copy next to the destination under a temporary name, then rename: the rename
# is atomic on one filesystem, so nobody ever sees a half-written k6.
cp "$gobin/k6" "$NOC_K6_BIN.tmp.$$"
chmod 0755 "$NOC_K6_BIN.tmp.$$"
mv -f "$NOC_K6_BIN.tmp.$$" "$NOC_K6_BIN"

say "built in ${elapsed}s ($((elapsed / 60))m$((elapsed % 60))s): $NOC_K6_BIN"
say "$("$NOC_K6_BIN" version 2>/dev/null | head -n1)"
