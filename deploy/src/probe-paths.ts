// Where deploy/install-probe.sh puts the probe agent's files on a site's PC, and the names
// of its user and service (deploy/systemd/noc-probe.service says the same).
export const PROBE_PATHS = {
  config: '/etc/online-room-noc/probe.json',
  env: '/etc/online-room-noc/probe.env',
  /** The CA the NOC's certificate is from, when it is the province's own (--ca-file). */
  ca: '/etc/online-room-noc/tls/ca.pem',
  unit: '/etc/systemd/system/noc-probe.service',
  spool: '/var/lib/noc-probe/spool',
  user: 'noc-probe',
  service: 'noc-probe.service',
} as const;
