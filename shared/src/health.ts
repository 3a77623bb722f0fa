// The shape of `GET /api/health`.
export const COMPONENT_STATES = ['up', 'degraded', 'down', 'disabled'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

export interface ComponentHealth {
  state: ComponentState;
  /** One line a person can act on. */
  detail: string;
  /** When this state was last checked, ms since the epoch. */
  checkedAt: number;
}

export interface StoreHealth extends ComponentHealth {
  kind: 'influxdb' | 'embedded';
  /** Samples the gateway has taken into its outage buffer since it started (each delivered to the store later). */
  buffered: number;
}

export interface SfuHealth extends ComponentHealth {
  node?: string;
  workers?: number;
  routers?: number;
}

export interface SimulatorHealth extends ComponentHealth {
  /** Sites heard from within the heartbeat window. */
  sitesReporting: number;
  sitesTotal: number;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  time: number;
  components: {
    store: StoreHealth;
    sfu: SfuHealth;
    /** The backup SFU node; `disabled` when none is configured. */
    sfuBackup: SfuHealth;
    simulator: SimulatorHealth;
  };
}

/** What the SFU node answers on its own `GET /health`. */
export interface SfuNodeStatus {
  node: string;
  mediasoupVersion: string;
  workers: { pid: number; routers: number; died: boolean }[];
}
