// Errors that carry their HTTP status and a message a person can act on.
export class HttpError extends Error {
  readonly status: number;
  readonly field: string | undefined;

  constructor(status: number, message: string, field?: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.field = field;
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: string;
  field?: string;
}
