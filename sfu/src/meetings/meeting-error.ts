// A request the meeting refused, with a code saying why. The signalling layer
// turns it into the typed error its client receives (signalling/failure.ts).

export const MEETING_ERROR_CODES = [
  /** The caller's role may not do this. */
  'not-allowed',
  /** A site (or a seat of it) that is not on the invitation list tried to join. */
  'not-invited',
  /** The site already has all the seats a point may have. */
  'seat-limit',
  /** A microphone may open only with the floor. */
  'floor-required',
  /** A site tried to call another point directly. */
  'dial-refused',
  /** The meeting, or the caller's place in it, has ended. */
  'ended',
  /** No such meeting on this node. */
  'unknown-meeting',
  /** The site named is not in the meeting. */
  'not-in-meeting',
  /** No such transport, producer or consumer on the caller's connection. */
  'unknown-media',
  /** The request does not make sense as made (wrong transport direction, mismatched source, unknown site…). */
  'bad-request',
  /** The meeting runs on the other node, or is moving between nodes. */
  'elsewhere',
] as const;
export type MeetingErrorCode = (typeof MEETING_ERROR_CODES)[number];

export class MeetingError extends Error {
  readonly code: MeetingErrorCode;
  /** The request field that was wrong, when one was. */
  readonly field: string | undefined;

  constructor(code: MeetingErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'MeetingError';
    this.code = code;
    this.field = field;
  }
}
