import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../logger';

/** Turns Nagle off on the client's TCP socket: each request/answer is one small packet that must go now. */
export function noDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (on: boolean) => void } | undefined;
  stream?.setNoDelay?.(true);
}

/** A message as the bus hands it to subscribers. */
export interface BusMessage {
  topic: string;
  payload: Buffer;
}

export interface BusOptions {
  url: string;
  /** Stable per BFF instance: the broker keeps this session (subscriptions and queued messages). */
  clientId: string;
  username?: string;
  password?: string;
  /**
   * MQTT 5 with this session expiry (s): for external brokers with shared subscriptions, so a session
   * whose instance never comes back stops taking a share of the messages once it expires. Unset: 3.1.1
   * (aedes), whose persistent session never expires.
   */
  sessionExpirySec?: number;
  log: Logger;
}

/**
 * The BFF's one connection to the MQTT broker: QoS 1 everywhere and a persistent session
 * (`clean: false`), so messages sent to the BFF while it restarts wait in the broker for it.
 */
export class MqttBus {
  private readonly handlers: Array<(m: BusMessage) => void> = [];
  private early: BusMessage[] = [];

  private constructor(
    private readonly client: MqttClient,
    private readonly log: Logger,
  ) {
    client.on('message', (topic, payload) => {
      // A resumed session delivers queued messages right after CONNACK, before anyone subscribed here.
      if (!this.handlers.length) return void this.early.push({ topic, payload });
      for (const h of this.handlers) h({ topic, payload });
    });
    client.on('error', (err) => log.warn({ err: err.message }, 'mqtt client error'));
    client.on('offline', () => log.warn({}, 'mqtt broker unreachable; reconnecting'));
    client.on('connect', (ack) => {
      noDelay(client);
      log.info({ sessionPresent: ack.sessionPresent }, 'mqtt connected');
    });
  }

  /** Connects (retrying until the broker answers or `timeoutMs` passes). */
  static async connect(opts: BusOptions, timeoutMs = 10_000): Promise<MqttBus> {
    const client = mqtt.connect(opts.url, {
      clientId: opts.clientId,
      username: opts.username,
      password: opts.password,
      clean: false,
      ...(opts.sessionExpirySec !== undefined
        ? { protocolVersion: 5 as const, properties: { sessionExpiryInterval: opts.sessionExpirySec } }
        : { protocolVersion: 4 as const }),
      reconnectPeriod: 500,
      connectTimeout: 5000,
      keepalive: 30,
      resubscribe: true,
    });
    const bus = new MqttBus(client, opts.log);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.end(true);
        reject(new Error(`MQTT broker did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return bus;
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Registers a handler for every message on the subscribed topics. */
  onMessage(handler: (m: BusMessage) => void): void {
    this.handlers.push(handler);
    const early = this.early;
    this.early = [];
    for (const m of early) handler(m);
  }

  /** Subscribes with QoS 1. */
  async subscribe(filters: string[]): Promise<void> {
    const granted = await this.client.subscribeAsync(filters, { qos: 1 });
    const refused = granted.filter((g) => g.qos >= 128);
    if (refused.length)
      throw new Error(`MQTT subscription refused: ${refused.map((g) => g.topic).join(', ')}`);
  }

  /** Publishes with QoS 1; resolves when the broker acknowledged (queued while disconnected). */
  async publish(topic: string, payload: string | Buffer, opts: { retain?: boolean } = {}): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1, retain: opts.retain ?? false });
  }

  /** Leaves the session in the broker (so messages queue for the next start) and disconnects. */
  async close(): Promise<void> {
    await this.client.endAsync(false).catch(() => this.client.end(true));
  }

  /** Drops the connection without a clean goodbye (tests simulating a crash). */
  async crash(): Promise<void> {
    await this.client.endAsync(true);
  }
}
