// A typed signalling client over the standard WebSocket API, so the same code
// runs in the room page (browser) and in Node (tests, tools).
import type { NotificationData, NotificationMethod, RequestData, RequestMethod, ResponseData } from './meeting-protocol.ts';
import type { SignallingError, SignallingMessage } from './signalling.ts';

export class SignallingRequestError extends Error {
  readonly code: SignallingError['code'];
  readonly field: string | undefined;
  constructor(method: string, error: SignallingError) {
    super(`${method}: ${error.code}: ${error.message}`);
    this.name = 'SignallingRequestError';
    this.code = error.code;
    this.field = error.field;
  }
}

type Listener<M extends NotificationMethod> = (data: NotificationData[M]) => void;

export class SignallingClient {
  #socket: WebSocket;
  #nextId = 1;
  #pending = new Map<number, { method: string; resolve: (d: unknown) => void; reject: (e: Error) => void }>();
  #listeners = new Map<string, Set<(data: unknown) => void>>();
  #closeListeners = new Set<(code: number, reason: string) => void>();
  /** Errors the server sent without a request id (a refused token, an unreadable message). */
  readonly unsolicitedErrors: SignallingError[] = [];

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => this.#onMessage(String(event.data)));
    socket.addEventListener('close', (event) => {
      for (const { method, reject } of this.#pending.values()) reject(new Error(`${method}: the connection closed`));
      this.#pending.clear();
      for (const listener of this.#closeListeners) listener(event.code, event.reason);
    });
  }

  /** Opens `<url>?token=…`; resolves once the socket is open. */
  static connect(url: string, token: string, timeoutMs = 5000): Promise<SignallingClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`signalling at ${url}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve(new SignallingClient(socket));
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new Error(`signalling at ${url}: connection failed`));
      });
    });
  }

  get open(): boolean {
    return this.#socket.readyState === WebSocket.OPEN;
  }

  request<M extends RequestMethod>(method: M, data: RequestData<M>, timeoutMs = 10_000): Promise<ResponseData[M]> {
    return this.requestRaw(method, data, timeoutMs) as Promise<ResponseData[M]>;
  }

  /** Sends any method and data unchecked (for tools and tests of the server's checks). */
  requestRaw(method: string, data: unknown, timeoutMs = 10_000): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.sendText(JSON.stringify({ kind: 'request', id, method, data }));
    });
  }

  /** Sends text as it is (for tests of malformed messages). */
  sendText(text: string): void {
    this.#socket.send(text);
  }

  on<M extends NotificationMethod>(method: M, listener: Listener<M>): () => void {
    const set = this.#listeners.get(method) ?? new Set();
    set.add(listener as (data: unknown) => void);
    this.#listeners.set(method, set);
    return () => set.delete(listener as (data: unknown) => void);
  }

  onClose(listener: (code: number, reason: string) => void): void {
    this.#closeListeners.add(listener);
  }

  close(): void {
    this.#socket.close();
  }

  #onMessage(text: string): void {
    let message: SignallingMessage;
    try {
      message = JSON.parse(text) as SignallingMessage;
    } catch {
      return;
    }
    if (message.kind === 'notification') {
      for (const listener of this.#listeners.get(message.method) ?? []) listener(message.data);
      return;
    }
    if (message.kind !== 'response') return;
    const pending = message.id === null ? undefined : this.#pending.get(message.id);
    if (!pending) {
      if (!message.ok) this.unsolicitedErrors.push(message.error);
      return;
    }
    this.#pending.delete(message.id!);
    if (message.ok) pending.resolve(message.data);
    else pending.reject(new SignallingRequestError(pending.method, message.error));
  }
}
