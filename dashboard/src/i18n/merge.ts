// Joins the message files of one language into its messages. A key defined
// by two files fails the type check (the merged type is `never`, and the
// call asks for a property naming the repeated keys), and throws at run time.

/** Keys that more than one of the parts defines. */
export type RepeatedKeys<T extends readonly object[], Seen extends PropertyKey = never> = T extends readonly [
  infer H extends object,
  ...infer R extends readonly object[],
]
  ? (keyof H & Seen) | RepeatedKeys<R, Seen | keyof H>
  : never;

type Joined<T extends readonly object[]> = T extends readonly [infer H extends object, ...infer R extends readonly object[]]
  ? H & Joined<R>
  : unknown;

/** The parts joined, or `never` when their key sets intersect. */
export type Merged<T extends readonly object[]> = [RepeatedKeys<T>] extends [never] ? Joined<T> : never;

type NoRepeat<T extends readonly object[]> = [RepeatedKeys<T>] extends [never]
  ? unknown
  : { 'keys repeated across message files': RepeatedKeys<T> };

/** The shape of a language's messages: the same keys, every message a string. */
export type MessagesLike<T> = { [K in keyof T]: T[K] extends string ? string : MessagesLike<T[K]> };

export function mergeMessages<const T extends readonly object[]>(...parts: T & NoRepeat<T>): Merged<T> {
  const merged: Record<string, unknown> = {};
  for (const part of parts as readonly object[]) {
    for (const [key, value] of Object.entries(part)) {
      if (key in merged) throw new Error(`the message key "${key}" is defined by two message files`);
      merged[key] = value;
    }
  }
  return merged as Merged<T>;
}
