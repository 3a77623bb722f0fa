#!/usr/bin/env bash
# Installs the probe agent on a site's PC: checks that the NOC takes the site's probe token,
# writes /etc/online-room-noc/probe.json (the agent's config), probe.env and the
# noc-probe.service unit, makes the user noc-probe and starts the service.
#   sudo deploy/install-probe.sh --noc-url https://noc.example --token da-bac.… [--help for the options]
# Run from the repository's checkout on the PC, after `bash scripts/setup.sh node apt worker npm`.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/env.sh"
exec node "$NOC_ROOT/deploy/src/install-probe.ts" "$@"
