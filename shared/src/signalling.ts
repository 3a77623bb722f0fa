// Signalling between endpoints and the SFU: the envelope every message uses.
// Requests carry an id and get exactly one response with the same id; errors are
// typed so a client can act on them without parsing text.

export const SIGNALLING_ERROR_CODES = [
  'bad-message', // not JSON, or not an object of the expected shape
  'too-large', // over the size limit
  'unknown-method',
  'invalid-data', // the method is known, its data is not valid
  'unauthorised', // the token does not allow this
  'not-found',
  'conflict',
  'limit-reached', // e.g. the 41st seat of a site
  'internal',
] as const;
export type SignallingErrorCode = (typeof SIGNALLING_ERROR_CODES)[number];

export interface SignallingError {
  code: SignallingErrorCode;
  message: string;
  /** The field that was wrong, when one was. */
  field?: string;
}

export interface RequestEnvelope<M extends string = string, D = unknown> {
  kind: 'request';
  id: number;
  method: M;
  data: D;
}

export type ResponseEnvelope<D = unknown> =
  { kind: 'response'; id: number; ok: true; data: D } | { kind: 'response'; id: number | null; ok: false; error: SignallingError };

export interface NotificationEnvelope<M extends string = string, D = unknown> {
  kind: 'notification';
  method: M;
  data: D;
}

export type SignallingMessage = RequestEnvelope | ResponseEnvelope | NotificationEnvelope;

/** Largest signalling message accepted, in bytes (SDP-free mediasoup parameters fit well within). */
export const MAX_SIGNALLING_MESSAGE_BYTES = 64 * 1024;
