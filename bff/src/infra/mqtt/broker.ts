import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';

/** What the broker asks before letting a client in. */
export interface ConnectRequest {
  clientId: string;
  username: string;
  password: string;
}
/** The answer: allowed or not, and which topics (`prefix`) a non-superuser may use. */
export interface ConnectDecision {
  allow: boolean;
  superuser: boolean;
  /** Topics a device may publish to and subscribe to start with this (e.g. `wd/ems-1/`). */
  prefix: string;
}

export interface EmbeddedBrokerOptions {
  port: number;
  host?: string;
  /** Keep sessions, queued messages and retained messages in Redis so they survive a restart. */
  redis?: { url: string; keyPrefix: string };
  decide(req: ConnectRequest): Promise<ConnectDecision>;
  log: Logger;
}

/** An aedes broker in a worker thread (see broker-worker.mjs); devices authenticate through `decide`. */
export class EmbeddedBroker {
  private constructor(
    private readonly worker: Worker,
    readonly port: number,
  ) {}

  /** Starts the broker and resolves once it listens. */
  static start(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    const worker = new Worker(path.join(__dirname, 'broker-worker.mjs'), {
      workerData: {
        port: opts.port,
        host: opts.host ?? '0.0.0.0',
        redisUrl: opts.redis?.url,
        redisPrefix: opts.redis?.keyPrefix,
      },
    });
    const deny: ConnectDecision = { allow: false, superuser: false, prefix: '' };
    return new Promise((resolve, reject) => {
      worker.on(
        'message',
        (msg: { t: string; id?: number; port?: number; message?: string } & ConnectRequest) => {
          if (msg.t === 'auth') {
            opts
              .decide({ clientId: msg.clientId, username: msg.username, password: msg.password })
              .catch((err: unknown) => {
                opts.log.error({ err }, 'mqtt authentication failed with an error');
                return deny;
              })
              .then((d) => worker.postMessage({ t: 'decision', id: msg.id, ...d }));
          } else if (msg.t === 'ready') {
            resolve(new EmbeddedBroker(worker, msg.port!));
          } else if (msg.t === 'error') {
            opts.log.error({ message: msg.message }, 'embedded mqtt broker error');
            reject(new Error(`MQTT broker: ${msg.message}`));
          }
        },
      );
      worker.once('error', reject);
    });
  }

  /** Disconnects every client and stops listening. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      const onMessage = (msg: { t: string }) => {
        if (msg.t === 'closed') resolve();
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage({ t: 'close' });
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3000).unref())]);
    await this.worker.terminate();
  }
}
