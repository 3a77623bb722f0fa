#!/usr/bin/env bash
# PKG_CONFIG for the influxd builds: InfluxData's pkg-config wrapper builds
# Flux's Rust library (libflux) with cargo when cgo asks for `flux`. Two things
# make it build with the machine's Rust: libflux pins an old toolchain in a
# rust-toolchain file, which cannot be downloaded offline, so the stable one is
# used; and flux-core denies warnings, which today's rustc has more of, so every
# rustc call gets --cap-lints warn (rustc-wrapper.sh).
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export RUSTUP_TOOLCHAIN=stable
export RUSTC_WRAPPER="$HERE/rustc-wrapper.sh"
exec "$NOC_INFLUX_PKG_CONFIG_WRAPPER" "$@"
