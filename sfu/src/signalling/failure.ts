// A refused request: carries the typed error the client receives.
import type { SignallingErrorCode } from '@noc/shared/signalling';

export class SignallingFailure extends Error {
  readonly code: SignallingErrorCode;
  readonly field: string | undefined;

  constructor(code: SignallingErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'SignallingFailure';
    this.code = code;
    this.field = field;
  }
}
