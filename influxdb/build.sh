#!/usr/bin/env bash
# Builds InfluxDB's server, influxd, from the Go module registry with Flux
# included, and caches the binary by version, like the mediasoup worker.
#
#   bash influxdb/build.sh 1   influxd 1.x ($NOC_INFLUXD_VERSION): the private store of `npm start` and the tests
#   bash influxdb/build.sh 2   influxd 2.x ($NOC_INFLUXD2_VERSION): the tests' second server
#
# Needs Go (see GO_MIN below), Rust's cargo, a C compiler and pkg-config; says
# which is missing. Modules, crates and Go's build cache live under
# $NOC_CACHE/influxd-build, so a second build (the other major, or one that
# was interrupted) reuses them. Idempotent: exits at once when the binary exists.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../scripts/env.sh
source "$HERE/../scripts/env.sh"

major="${1:-}"
case "$major" in
  1) VERSION="$NOC_INFLUXD_VERSION" BIN="$NOC_INFLUXD_BIN" ;;
  2) VERSION="$NOC_INFLUXD2_VERSION" BIN="$NOC_INFLUXD2_BIN" ;;
  *) echo "usage: bash influxdb/build.sh 1|2" >&2; exit 2 ;;
esac
tag="influxd-$VERSION"
say() { printf '[%s] %s\n' "$tag" "$*"; }
die() { printf '[%s] error: %s\n' "$tag" "$*" >&2; exit 1; }

if [ -x "$BIN" ]; then
  say "already built: $BIN (nothing to do; delete it to rebuild)"
  exit 0
fi

# --- tools ---------------------------------------------------------------------
GO_MIN="$NOC_GO_MIN"
PKG_CONFIG_WRAPPER_VERSION=v0.2.14
missing=()
command -v go >/dev/null || missing+=("go (Go $GO_MIN or newer; bash scripts/setup.sh go installs it)")
command -v cargo >/dev/null || missing+=("cargo (Rust, stable; libflux is written in Rust)")
command -v cc >/dev/null || missing+=("cc (build-essential)")
command -v pkg-config >/dev/null || missing+=("pkg-config")
command -v flock >/dev/null || missing+=("flock (util-linux)")
[ ${#missing[@]} -eq 0 ] || die "missing build tools: ${missing[*]}"
go_have="$(go env GOVERSION | sed 's/^go//')"
[ "$(printf '%s\n%s\n' "$GO_MIN" "$go_have" | sort -V | head -1)" = "$GO_MIN" ] \
  || die "Go $go_have is older than $GO_MIN (bash scripts/setup.sh go installs a newer one)"

WORK="$NOC_CACHE/influxd-build"
mkdir -p "$WORK"
exec 9>"$WORK/.lock-$major"
if ! flock -n 9; then
  say "another build holds $WORK/.lock-$major; waiting for it"
  flock 9
fi
[ -x "$BIN" ] && { say "built meanwhile: $BIN"; exit 0; }

export GOPATH="$WORK/gopath" GOCACHE="$WORK/gocache" GOFLAGS=-modcacherw GOTOOLCHAIN=local
export CGO_ENABLED=1
export NOC_INFLUX_PKG_CONFIG_WRAPPER="$GOPATH/bin/pkg-config"
START=$SECONDS

# Prints a line every 30 s while a step is silent, so a long build never looks hung.
progress() {
  local what="$1" t0=$SECONDS line
  while :; do
    if IFS= read -r -t 30 line; then
      printf '%s\n' "$line" >>"$LOG"
    elif [ $? -le 128 ]; then
      break
    else
      say "  $what: still working, $(noc_duration $((SECONDS - t0))) so far (log: $LOG)"
    fi
  done
}
LOG="$WORK/build-$major.log"
: >"$LOG"
run_step() {
  local what="$1"
  shift
  if ! "$@" 2>&1 | progress "$what"; then
    tail -n 40 "$LOG" | sed 's/^/  /' >&2
    die "$what failed (the last lines of $LOG are above); run the setup again to resume"
  fi
}

say "building influxd $VERSION with Flux (Go $go_have, $(cargo --version | cut -d' ' -f1-2)); a first build takes 5-20 min on 2 cores depending on load"
if [ ! -x "$NOC_INFLUX_PKG_CONFIG_WRAPPER" ]; then
  say "step 1/3: InfluxData's pkg-config wrapper $PKG_CONFIG_WRAPPER_VERSION"
  run_step "pkg-config wrapper" go install "github.com/influxdata/pkg-config@$PKG_CONFIG_WRAPPER_VERSION"
else
  say "step 1/3: pkg-config wrapper already built"
fi
export PKG_CONFIG="$HERE/build/pkg-config.sh"

out="$WORK/influxd-$VERSION.tmp"
# The version influxd reports (`influxd version`, the X-Influxdb-Version header), as InfluxData's release builds set it.
LDFLAGS="-X main.version=$VERSION"
if [ "$major" = 1 ]; then
  say "step 2/3: downloading influxdb $VERSION's modules"
  run_step "module download" go mod download -x "github.com/influxdata/influxdb@v$VERSION"
  say "step 3/3: compiling libflux (Rust) and influxd (Go)"
  run_step "compile" env GOBIN="$WORK/bin-$VERSION" go install -ldflags "$LDFLAGS" "github.com/influxdata/influxdb/cmd/influxd@v$VERSION"
  mv -f "$WORK/bin-$VERSION/influxd" "$out"
else
  # `go install …/v2/cmd/influxd@version` is refused: InfluxDB's go.mod has
  # replace directives. A build module of our own requires it and repeats them.
  mod="$WORK/v2-module"
  say "step 2/3: downloading influxdb $VERSION's modules (build module $mod)"
  rm -rf "$mod" && mkdir -p "$mod"
  gomod="$(go mod download -json "github.com/influxdata/influxdb/v2@v$VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -f "$gomod" ] || die "go mod download did not give influxdb $VERSION's go.mod"
  {
    echo "module noc.local/influxd2-build"
    echo
    grep -m1 '^go ' "$gomod"
    echo
    echo "require github.com/influxdata/influxdb/v2 v$VERSION"
    echo
    grep -E '^replace ' "$gomod" || true
  } >"$mod/go.mod"
  grep -q '^replace ' "$mod/go.mod" || say "  (influxdb $VERSION's go.mod has no replace directive any more)"
  printf 'package main\n\nimport _ "github.com/influxdata/influxdb/v2/cmd/influxd"\n' >"$mod/tools.go"
  sed -i '1i //go:build tools\n' "$mod/tools.go"
  (cd "$mod" && run_step "module download" go mod tidy)
  say "step 3/3: compiling libflux (Rust) and influxd (Go)"
  (cd "$mod" && run_step "compile" go build -ldflags "$LDFLAGS" -o "$out" github.com/influxdata/influxdb/v2/cmd/influxd)
fi

"$out" version 2>/dev/null | grep -q "$VERSION" || die "the built influxd does not run or does not say it is $VERSION ($out version)"
mkdir -p "$(dirname "$BIN")"
mv -f "$out" "$BIN"
say "done in $(noc_duration $((SECONDS - START))): $BIN ($(du -h "$BIN" | cut -f1)), $("$BIN" version 2>/dev/null | head -1)"
