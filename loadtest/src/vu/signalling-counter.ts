// Signalling requests of a virtual user, counted for the run's error rate:
// each request through `request()` adds one, each failed one an error, and the
// counts go to the runner as deltas.
import { SignallingClient } from '@noc/shared/signalling-client';
import type { RequestData, RequestMethod, ResponseData } from '@noc/shared/meeting-protocol';
import type { FigureSink } from '../figure-datagram.ts';

export class CountedSignalling {
  #requests = 0;
  #errors = 0;
  readonly client: SignallingClient;
  #figures: FigureSink;

  private constructor(client: SignallingClient, figures: FigureSink) {
    this.client = client;
    this.#figures = figures;
  }

  /** Opening the connection counts as a request. */
  static async connect(url: string, token: string, figures: FigureSink, timeoutMs = 10_000): Promise<CountedSignalling> {
    try {
      const client = await SignallingClient.connect(url, token, timeoutMs);
      figures.send({ k: 'signalling', requests: 1, errors: 0 });
      return new CountedSignalling(client, figures);
    } catch (err) {
      figures.send({ k: 'signalling', requests: 1, errors: 1 });
      throw err;
    }
  }

  async request<M extends RequestMethod>(method: M, data: RequestData<M>, timeoutMs = 10_000): Promise<ResponseData[M]> {
    this.#requests++;
    try {
      return await this.client.request(method, data, timeoutMs);
    } catch (err) {
      this.#errors++;
      throw err;
    } finally {
      this.flush();
    }
  }

  flush(): void {
    if (this.#requests === 0 && this.#errors === 0) return;
    this.#figures.send({ k: 'signalling', requests: this.#requests, errors: this.#errors });
    this.#requests = 0;
    this.#errors = 0;
  }

  close(): void {
    this.flush();
    this.client.close();
  }
}
