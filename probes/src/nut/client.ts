// NutClient: the NOC's own client for the Network UPS Tools network protocol
// (plain-text lines over TCP, upsd's default port 3493). It speaks the read-only
// subset the power probe needs: LIST UPS, LIST VAR, GET VAR and LOGOUT, one
// command at a time, each with its own timeout. upsd's "ERR <code>" replies
// surface as NutError carrying the code (UNKNOWN-UPS, VAR-NOT-SUPPORTED, ...).

import net from 'node:net';

export const NUT_DEFAULT_PORT = 3493;
const DEFAULT_TIMEOUT_MS = 5000;
// upsd lines are short; this only guards against a peer that never sends "\n".
const MAX_LINE_CHARS = 64 * 1024;

/** An "ERR <code> [detail]" reply from upsd. */
export class NutError extends Error {
  readonly code: string;
  readonly detail: string | undefined;
  readonly command: string;

  constructor(code: string, command: string, detail?: string) {
    super(`NUT ${command}: ERR ${code}${detail ? ` ${detail}` : ''}`);
    this.name = 'NutError';
    this.code = code;
    this.command = command;
    this.detail = detail;
  }
}

/** The connection failed, closed, timed out or the server said something unexpected. */
export class NutConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NutConnectionError';
  }
}

export interface NutConnectOptions {
  host: string;
  port: number;
  /** Limit for connecting and for each command's reply; default 5000 ms. */
  timeoutMs?: number;
}

/**
 * Splits one reply line into words. Words are separated by spaces; a word in
 * double quotes may contain spaces, and inside quotes a backslash makes the
 * next character literal (upsd escapes `"` and `\` that way).
 */
export function splitNutLine(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    let word = '';
    if (ch === '"') {
      i++;
      let closed = false;
      while (i < line.length) {
        const c = line[i];
        if (c === '\\' && i + 1 < line.length) {
          word += line[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          word += c;
          i++;
        }
      }
      if (!closed) throw new NutConnectionError(`unterminated quoted value in reply: ${line}`);
    } else {
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
        if (line[i] === '\\' && i + 1 < line.length) {
          word += line[i + 1];
          i += 2;
        } else {
          word += line[i];
          i++;
        }
      }
    }
    words.push(word);
  }
  return words;
}

/** Quotes an argument for a command line when it needs it; refuses line breaks. */
function quoteArg(arg: string): string {
  if (arg.length === 0) return '""';
  if (/[\r\n\0]/.test(arg)) throw new TypeError(`NUT argument must not contain line breaks: ${JSON.stringify(arg)}`);
  if (!/[\s"\\]/.test(arg)) return arg;
  return `"${arg.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

type Step<T> = { done: false } | { done: true; value: T };

interface Pending {
  onLine(line: string): void;
  onFail(err: Error): void;
}

const MORE: { done: false } = { done: false };

export class NutClient {
  #socket: net.Socket;
  #timeoutMs: number;
  #buffer = '';
  #pending: Pending | null = null;
  #tail: Promise<unknown> = Promise.resolve();
  #failure: Error | null = null;
  #closing: Promise<void> | null = null;

  private constructor(socket: net.Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('error', (err: Error) => this.#fail(new NutConnectionError(`NUT connection error: ${err.message}`, { cause: err })));
    socket.on('close', () => this.#fail(new NutConnectionError('NUT connection closed')));
  }

  static async connect(opts: NutConnectOptions): Promise<NutClient> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<NutClient>((resolve, reject) => {
      const s = net.connect({ host: opts.host, port: opts.port });
      const onError = (err: Error): void => {
        clearTimeout(timer);
        s.destroy();
        reject(new NutConnectionError(`NUT connect to ${opts.host}:${opts.port} failed: ${err.message}`, { cause: err }));
      };
      const timer = setTimeout(() => {
        s.off('error', onError);
        s.destroy();
        reject(new NutConnectionError(`NUT connect to ${opts.host}:${opts.port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('error', onError);
      s.once('connect', () => {
        clearTimeout(timer);
        s.off('error', onError);
        // The client attaches its own listeners synchronously, before any later error.
        resolve(new NutClient(s, timeoutMs));
      });
    });
  }

  /** LIST UPS: UPS name to its description. */
  listUps(): Promise<Record<string, string>> {
    return this.#list(['UPS'], 'UPS', 1);
  }

  /** LIST VAR <ups>: variable name to value. */
  listVars(ups: string): Promise<Record<string, string>> {
    return this.#list(['VAR', ups], 'VAR', 2);
  }

  /** GET VAR <ups> <name>: one variable's value. */
  getVar(ups: string, name: string): Promise<string> {
    const command = this.#format(['GET', 'VAR', ups, name]);
    return this.#exchange(command, (words) => {
      if (words[0] === 'VAR' && words[1] === ups && words[2] === name && words.length >= 4) {
        return { done: true, value: words[3] ?? '' };
      }
      throw new NutConnectionError(`unexpected reply to ${command}: ${words.join(' ')}`);
    });
  }

  /** Sends LOGOUT (best effort) and closes the connection. Safe to call twice. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      if (!this.#failure) {
        try {
          await this.#exchange('LOGOUT', () => ({ done: true, value: undefined }));
        } catch {
          // The server may already be gone; closing is still the goal.
        }
      }
      await new Promise<void>((resolve) => {
        if (this.#socket.destroyed) return resolve();
        const force = setTimeout(() => this.#socket.destroy(), this.#timeoutMs);
        this.#socket.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        this.#socket.end();
      });
      this.#fail(new NutConnectionError('NUT client closed'));
    })();
    return this.#closing;
  }

  #list(args: string[], itemWord: string, keyIndex: number): Promise<Record<string, string>> {
    const command = this.#format(['LIST', ...args]);
    const header = ['LIST', ...args];
    const out: Record<string, string> = {};
    let begun = false;
    return this.#exchange(command, (words) => {
      if (!begun) {
        if (words[0] === 'BEGIN' && sameWords(words.slice(1), header)) {
          begun = true;
          return MORE;
        }
        throw new NutConnectionError(`unexpected reply to ${command}: ${words.join(' ')}`);
      }
      if (words[0] === 'END' && sameWords(words.slice(1), header)) return { done: true, value: out };
      // Item lines repeat the list's arguments: "VAR <ups> <name> <value>", "UPS <name> <desc>".
      if (words[0] === itemWord && sameWords(words.slice(1, keyIndex), args.slice(1)) && words.length >= keyIndex + 2) {
        out[words[keyIndex] as string] = words[keyIndex + 1] as string;
        return MORE;
      }
      throw new NutConnectionError(`unexpected line in reply to ${command}: ${words.join(' ')}`);
    });
  }

  #format(parts: string[]): string {
    return parts.map(quoteArg).join(' ');
  }

  /**
   * Queues one command: it is written only after every earlier command has its
   * whole reply, and its timeout starts when it is written. `step` sees each
   * reply line split into words (an ERR line never reaches it).
   */
  #exchange<T>(command: string, step: (words: string[]) => Step<T>): Promise<T> {
    const run = this.#tail.then(() => this.#send(command, step));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #send<T>(command: string, step: (words: string[]) => Step<T>): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<T>((resolve, reject) => {
      const finish = (err: Error | null, value?: T): void => {
        clearTimeout(timer);
        this.#pending = null;
        if (err) reject(err);
        else resolve(value as T);
      };
      const timer = setTimeout(() => {
        const err = new NutConnectionError(`NUT ${command}: no complete reply within ${this.#timeoutMs} ms`);
        finish(err);
        // A late reply would be taken for the next command's: drop the connection.
        this.#fail(err);
        this.#socket.destroy();
      }, this.#timeoutMs);
      this.#pending = {
        onLine: (line) => {
          try {
            const words = splitNutLine(line);
            if (words[0] === 'ERR') {
              finish(new NutError(words[1] ?? 'UNKNOWN', command, words.slice(2).join(' ') || undefined));
              return;
            }
            const r = step(words);
            if (r.done) finish(null, r.value);
          } catch (err) {
            const e = err instanceof Error ? err : new Error(String(err));
            finish(e);
            // Out of step with the server: the rest of this reply would confuse the next command.
            this.#fail(e);
            this.#socket.destroy();
          }
        },
        onFail: (err) => finish(err),
      };
      this.#socket.write(`${command}\n`);
    });
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      let line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      // Lines nobody asked for (none are expected in this protocol) are dropped.
      this.#pending?.onLine(line);
    }
    if (this.#buffer.length > MAX_LINE_CHARS) {
      const err = new NutConnectionError(`NUT reply line longer than ${MAX_LINE_CHARS} characters`);
      this.#fail(err);
      this.#socket.destroy();
    }
  }

  #fail(err: Error): void {
    if (!this.#failure) this.#failure = err;
    this.#pending?.onFail(err);
  }
}

function sameWords(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}
