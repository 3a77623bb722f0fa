// English messages of the `rules` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/rules.ts';

export default {
  rules: {
    title: 'Alert thresholds',
    intro:
      'For each cause: whether it is watched, its severity, how long its condition must hold to open an incident and how long the recovery must hold to close it.',
    source: 'Read from the file: {file}',
    general: 'General',
    save: 'Save thresholds',
    saved: 'Alert thresholds saved.',
    reset: 'Undo changes',
    unsaved: 'There are unsaved changes.',
    off: 'Off',
    invalid: 'Invalid: {detail}',
    field: {
      enabled: 'Watched',
      severity: 'Severity',
      forSeconds: 'Holds for, before opening',
      recoverForSeconds: 'Recovered for, before closing',
      silentSeconds: 'No heartbeat for',
      threshold: 'Alert threshold',
      majorThreshold: 'Major threshold',
      recoverBelow: 'Recovers below',
      recoverAbove: 'Recovers above',
      minFps: 'Minimum frame rate',
      minBatteryPct: 'Minimum battery',
      minRuntimeSeconds: 'Minimum runtime',
      defaultMeetingMinutes: 'Default meeting length',
      minDepth: 'Minimum samples waiting',
      windowSeconds: 'Watched over',
      reopenWithinMinutes: 'Reopen an incident when it returns within',
      escalateAfterMinutes: 'Escalate a critical incident not acknowledged after',
      daysBefore: 'Capacity tests counted before a training session within',
    },
    unit: {
      s: 's',
      min: 'min',
      ms: 'ms',
      pct: '%',
      celsius: '°C',
      fps: 'fps',
      samples: 'samples',
      mos: 'MOS (1–5)',
      days: 'days',
    },
  },
} satisfies MessagesLike<typeof vi>;
