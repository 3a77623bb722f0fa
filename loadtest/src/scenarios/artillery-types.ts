// The part of Artillery's processor interface the scenarios use: a function
// step gets the virtual user's context and an event emitter for custom
// metrics (`counter`, `histogram`), and returns a promise.
export interface VuEvents {
  emit(kind: 'counter' | 'histogram', name: string, value: number): void;
}
export interface VuContext {
  vars: Record<string, unknown>;
}
