#!/usr/bin/env bash
# Builds the mediasoup C++ worker OFFLINE from the pinned npm tarball's own
# worker/ sources against Debian's libraries, and caches the binary at
# $NOC_WORKER_BIN. Nothing is downloaded except the mediasoup tarball itself
# (from the npm registry, once; it is cached too). See README.md beside this
# file for what the shims and the patch are and why.
#
#   bash sfu/worker-build/build.sh
#
# Idempotent: exits at once when $NOC_WORKER_BIN exists. An interrupted build
# resumes where it stopped (the build dir lives in the cache).
#
# Environment:
#   NOC_WORKER_KEEP_BUILD=1   keep the extracted sources and the build dir in the
#                             cache after a successful build (default: removed)
#   NOC_WORKER_JOBS=N         parallel compile jobs (default: number of cores)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../scripts/env.sh
source "$HERE/../../scripts/env.sh"

say() { printf '[worker] %s\n' "$*"; }
die() { printf '[worker] error: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; printf "[worker] error: command failed (exit %s) at build.sh line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2; exit "$rc"' ERR
# Prefixes a command's output so the log says where each line comes from.
indent() { sed -u 's/^/[worker]   /'; }
# Temporary files/dirs of a step that did not finish are removed on exit.
tmp=""
tmp_bin=""
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; [ -z "$tmp_bin" ] || rm -f "$tmp_bin"; }
trap cleanup EXIT

VERSION="$NOC_MEDIASOUP_VERSION"
# Bump when the preparation of the source tree changes in a way that the
# shim/patch files alone do not show (forces a fresh extract + full rebuild).
PREP_REVISION=1

if [ -x "$NOC_WORKER_BIN" ]; then
  say "mediasoup worker $VERSION already built: $NOC_WORKER_BIN (nothing to do; delete it to rebuild)"
  exit 0
fi

WORK="$NOC_CACHE/mediasoup-worker-build-$VERSION"
TARBALL="$WORK/mediasoup-$VERSION.tgz"
SRC="$WORK/src"       # the tarball's package/ folder, with shims and patch applied
BUILD="$WORK/build"   # meson build dir
SHIMS="$HERE/subprojects"
PATCHES=("$HERE"/patches/*.patch)
JOBS="${NOC_WORKER_JOBS:-$(nproc)}"

START=$SECONDS
say "building mediasoup worker $VERSION offline against Debian's libraries"
say "work dir: $WORK"

# --- 0. tools and Debian libraries -------------------------------------------
say "step 0/5: checking build tools and Debian development packages"
missing=()
for tool in meson ninja pkg-config cc c++ flatc patch tar sed sha256sum flock; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (run: bash scripts/setup.sh apt)"
for mod in libuv libssl libcrypto libsrtp2 flatbuffers absl_strings absl_optional; do
  pkg-config --exists "$mod" || missing+=("$mod")
done
[ ${#missing[@]} -eq 0 ] || die "missing pkg-config modules: ${missing[*]} (run: bash scripts/setup.sh apt)"
say "  meson $(meson --version), ninja $(ninja --version), $(flatc --version), libuv $(pkg-config --modversion libuv), OpenSSL $(pkg-config --modversion libssl), libsrtp2 $(pkg-config --modversion libsrtp2), abseil $(pkg-config --modversion absl_strings)"

mkdir -p "$WORK"
# One build at a time per cache (a second caller waits, then finds the binary).
exec 9>"$WORK/.lock"
if ! flock -n 9; then
  say "another build holds $WORK/.lock; waiting for it"
  flock 9
fi
if [ -x "$NOC_WORKER_BIN" ]; then
  say "mediasoup worker $VERSION was built meanwhile: $NOC_WORKER_BIN"
  exit 0
fi

# --- 1. the npm tarball ----------------------------------------------------------
if [ -s "$TARBALL" ] && tar -tzf "$TARBALL" >/dev/null 2>&1; then
  say "step 1/5: using cached tarball $TARBALL"
else
  say "step 1/5: fetching mediasoup@$VERSION from the npm registry (npm pack)"
  command -v npm >/dev/null || die "npm is needed to fetch mediasoup@$VERSION (run: bash scripts/setup.sh node)"
  tmp="$(mktemp -d "$WORK/pack.XXXXXX")"
  (cd "$tmp" && npm pack --silent --ignore-scripts "mediasoup@$VERSION" >/dev/null) \
    || die "npm pack mediasoup@$VERSION failed (is the npm registry reachable?)"
  [ -s "$tmp/mediasoup-$VERSION.tgz" ] || die "npm pack did not produce mediasoup-$VERSION.tgz"
  mv -f "$tmp/mediasoup-$VERSION.tgz" "$TARBALL"
  rm -rf "$tmp"
  tmp=""
  say "  cached $TARBALL"
fi

# --- 2. source tree: extract, shims, meson version, DTLS patch ------------------
# The stamp covers everything that goes into the prepared tree; when it changes,
# the tree and the build dir are made anew.
stamp="$( {
  echo "prep-revision $PREP_REVISION"
  sha256sum "$TARBALL" | cut -d' ' -f1
  (cd "$HERE" && find subprojects patches -type f -print0 | sort -z | xargs -0 sha256sum)
} | sha256sum | cut -d' ' -f1)"

if [ -f "$SRC/.noc-prepared" ] && [ "$(cat "$SRC/.noc-prepared")" = "$stamp" ]; then
  say "step 2/5: source tree already prepared at $SRC"
else
  say "step 2/5: preparing the source tree at $SRC"
  # (also drops what an earlier, interrupted preparation left behind)
  rm -rf "$SRC" "$BUILD" "$WORK"/src.* "$WORK"/pack.*
  tmp="$(mktemp -d "$WORK/src.XXXXXX")"
  tar -xzf "$TARBALL" -C "$tmp"
  tree="$tmp/package"
  [ -f "$tree/worker/meson.build" ] || die "the tarball has no worker/meson.build"

  # 2a. One shim folder per wrap, named as the wrap's `directory =`, so meson
  # finds every subproject locally and --wrap-mode=nodownload fetches nothing.
  used=()
  for wrap in "$tree"/worker/subprojects/*.wrap; do
    name="$(basename "$wrap" .wrap)"
    dir="$(awk -F= '/^[[:space:]]*directory[[:space:]]*=/ { gsub(/[[:space:]]/, "", $2); print $2; exit }' "$wrap")"
    [ -n "$dir" ] || die "$name.wrap has no 'directory =' line"
    if [ -d "$SHIMS/$dir" ]; then
      cp -R "$SHIMS/$dir" "$tree/worker/subprojects/$dir"
      used+=("$dir")
      say "  shim for $name.wrap -> subprojects/$dir"
    else
      case "$name" in
        catch2|wingetopt)
          # catch2: only with -Dms_build_tests; wingetopt: only on Windows.
          say "  no shim needed for $name.wrap (not used by the Linux worker target)" ;;
        *)
          die "no shim for $name.wrap (directory '$dir'): mediasoup's dependencies changed; add sfu/worker-build/subprojects/$dir" ;;
      esac
    fi
  done
  for shim in "$SHIMS"/*/; do
    shim="$(basename "$shim")"
    case " ${used[*]} " in
      *" $shim "*) ;;
      *) say "  warning: shim subprojects/$shim matches no wrap of mediasoup $VERSION (stale?)" ;;
    esac
  done

  # 2b. worker/meson.build asks for meson >= 1.1.0; Debian 12 has 1.0.1, which
  # builds it fine. Relax exactly that line, and fail if it is not there.
  mb="$tree/worker/meson.build"
  want_line="meson_version: '>= 1.1.0',"
  grep -qF "$want_line" "$mb" || die "worker/meson.build no longer has \"$want_line\"; review the meson relaxation in build.sh"
  sed -i "s/meson_version: '>= 1\.1\.0',/meson_version: '>= 1.0.0',/" "$mb"
  grep -qF "meson_version: '>= 1.0.0'," "$mb" || die "could not relax meson_version in worker/meson.build"
  say "  relaxed worker/meson.build: meson_version '>= 1.1.0' -> '>= 1.0.0'"

  # 2c. Patches (see README.md). --forward + a dry run first: a patch that no
  # longer applies cleanly stops the build.
  for p in "${PATCHES[@]}"; do
    [ -f "$p" ] || continue
    if ! patch -d "$tree" -p1 --forward --batch --fuzz=0 --dry-run <"$p" >"$tmp/patch.log" 2>&1; then
      cat "$tmp/patch.log" >&2
      die "patch $(basename "$p") does not apply to mediasoup $VERSION; update it"
    fi
    patch -d "$tree" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch <"$p" 2>&1 | indent \
      || die "applying $(basename "$p") failed"
    say "  applied patches/$(basename "$p")"
  done

  echo "$stamp" >"$tree/.noc-prepared"
  mv "$tree" "$SRC"
  rm -rf "$tmp"
  tmp=""
fi

# --- 3. meson setup -----------------------------------------------------------------
if [ -f "$BUILD/build.ninja" ] && [ -f "$BUILD/meson-private/coredata.dat" ]; then
  say "step 3/5: build dir already configured at $BUILD (resuming)"
else
  say "step 3/5: configuring $BUILD (meson setup, release, --wrap-mode=nodownload)"
  rm -rf "$BUILD"
  meson setup "$BUILD" "$SRC/worker" \
    --buildtype=release -Db_ndebug=true -Db_pie=true \
    --wrap-mode=nodownload --force-fallback-for=unordered_dense 2>&1 | indent \
    || { rm -rf "$BUILD"; die "meson setup failed (see the lines above)"; }
fi

# --- 4. compile -----------------------------------------------------------------------
# ninja prints "[done/total] what" per compile unit; the full output goes to a
# log, and the user sees the step, the percent done and an estimate of what is
# left, at every 5 % and at least every 30 s, never minutes of silence.
LOG="$WORK/compile.log"
compile_progress() {
  local t0=$SECONDS last_pct=-5 last_at=$SECONDS line n=0 m=0 pct elapsed left
  : >"$LOG"
  while :; do
    if IFS= read -r -t 30 line; then
      printf '%s\n' "$line" >>"$LOG"
      [[ $line =~ ^\[([0-9]+)/([0-9]+)\] ]] || continue
      n=${BASH_REMATCH[1]}
      m=${BASH_REMATCH[2]}
    elif [ $? -le 128 ]; then
      break # end of ninja's output
    fi
    [ "$m" -gt 0 ] || continue
    pct=$((100 * n / m))
    [ $pct -ge $((last_pct + 5)) ] || [ $((SECONDS - last_at)) -ge 30 ] || [ "$n" = "$m" ] || continue
    elapsed=$((SECONDS - t0))
    if [ "$n" -ge 10 ] && [ "$n" -lt "$m" ]; then
      left=", about $(noc_duration $((elapsed * (m - n) / n))) left"
    elif [ "$n" -lt "$m" ]; then
      left=", 5-20 min in all on 2 cores"
    else
      left=""
    fi
    say "  step 4/5: compiled $n of $m units ($pct %), $(noc_duration "$elapsed") so far$left"
    last_pct=$pct
    last_at=$SECONDS
  done
}
say "step 4/5: compiling the mediasoup-worker target with $JOBS jobs (full output in $LOG)"
if ! ninja -C "$BUILD" -j "$JOBS" mediasoup-worker 2>&1 | compile_progress; then
  tail -n 40 "$LOG" | indent >&2
  die "compiling the worker failed (the last lines of $LOG are above); run the setup again to resume"
fi
built="$BUILD/mediasoup-worker"
[ -x "$built" ] || die "ninja finished but $built is missing"

# The worker refuses to run without MEDIASOUP_VERSION and exits 41: that is
# enough to prove the binary loads all its Debian shared libraries.
ldd_out="$(ldd "$built")"
if grep -q 'not found' <<<"$ldd_out"; then
  printf '%s\n' "$ldd_out" >&2
  die "the built worker misses shared libraries"
fi
rc=0
env -u MEDIASOUP_VERSION "$built" >/dev/null 2>&1 || rc=$?
[ "$rc" = 41 ] || die "the built worker did not start as expected (exit $rc, want 41 'missing MEDIASOUP_VERSION')"

# --- 5. install into the cache ----------------------------------------------------------
say "step 5/5: installing $NOC_WORKER_BIN"
dest_dir="$(dirname "$NOC_WORKER_BIN")"
mkdir -p "$dest_dir"
tmp_bin="$(mktemp "$dest_dir/.mediasoup-worker.XXXXXX")"
cp "$built" "$tmp_bin"
chmod 755 "$tmp_bin"
mv -f "$tmp_bin" "$NOC_WORKER_BIN"
tmp_bin=""

if [ "${NOC_WORKER_KEEP_BUILD:-0}" = 1 ]; then
  say "  kept $SRC and $BUILD (NOC_WORKER_KEEP_BUILD=1)"
else
  rm -rf "$SRC" "$BUILD"
  say "  removed the build tree (the tarball stays cached at $TARBALL)"
fi

elapsed=$((SECONDS - START))
say "done in $((elapsed / 60))m$((elapsed % 60))s: $NOC_WORKER_BIN ($(du -h "$NOC_WORKER_BIN" | cut -f1))"
