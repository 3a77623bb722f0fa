// A refused request: carries the typed error the client receives. A meeting's
// own refusals (meetings/meeting-error.ts) become one by their code.
import type { SignallingErrorCode } from '@noc/shared/signalling';
import type { MeetingError, MeetingErrorCode } from '../meetings/meeting-error.ts';

export class SignallingFailure extends Error {
  readonly code: SignallingErrorCode;
  readonly field: string | undefined;

  constructor(code: SignallingErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'SignallingFailure';
    this.code = code;
    this.field = field;
  }

  /** The signalling error a client gets for a meeting's refusal. */
  static fromMeeting(err: MeetingError): SignallingFailure {
    return new SignallingFailure(SIGNALLING_CODE[err.code], err.message, err.field);
  }
}

const SIGNALLING_CODE: Record<MeetingErrorCode, SignallingErrorCode> = {
  'not-allowed': 'unauthorised',
  'not-invited': 'unauthorised',
  'floor-required': 'unauthorised',
  'dial-refused': 'unauthorised',
  'seat-limit': 'limit-reached',
  ended: 'not-found',
  'unknown-meeting': 'not-found',
  'not-in-meeting': 'not-found',
  'unknown-media': 'not-found',
  'bad-request': 'invalid-data',
  elsewhere: 'conflict',
};
