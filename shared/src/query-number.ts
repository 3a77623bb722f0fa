// Whole numbers read from a URL query: decimal digits only, so an empty value
// (which z.coerce reads as 0), `0x10` or `1e3` is refused naming the parameter.
import { z } from 'zod';

export const queryNumber = (what: string) =>
  z
    .string()
    .regex(/^\d{1,16}$/, `must be ${what} in decimal digits`)
    .transform(Number);

/** A time in milliseconds since the epoch. */
export const queryEpochMs = queryNumber('a time in epoch milliseconds').pipe(z.number().max(8.64e15));
