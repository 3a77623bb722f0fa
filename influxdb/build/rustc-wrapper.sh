#!/usr/bin/env bash
# cargo calls this as `rustc-wrapper.sh <rustc> <args…>`. It adds
# --cap-lints warn unless the call already sets a cap (cargo does for
# dependencies), so flux-core's deny(warnings) does not stop the build.
# RUSTFLAGS cannot do this: cargo runs with --target, and flux-core is also
# built for a build script, where RUSTFLAGS does not apply.
rustc="$1"
shift
for a in "$@"; do
  [ "$a" = --cap-lints ] && exec "$rustc" "$@"
done
exec "$rustc" "$@" --cap-lints warn
