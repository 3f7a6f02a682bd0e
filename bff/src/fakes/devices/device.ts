import mqtt, { type MqttClient } from 'mqtt';
import {
  bmsCommandParams,
  deviceTopic,
  DeviceErrorCode,
  rpcRequest,
  type DeviceKind,
  type RpcRequest,
  type ReadingsMessage,
} from '@wattdesk/shared';
import { noDelay } from '../../infra/mqtt/bus';
import { Bms, type Phase } from './bms';
import { ReactiveController } from './reactive';
import { MeterGateway, type GatewayMeter } from './gateway';

/**
 * Faults a simulated device can be told to commit on a request: not answer (and not execute),
 * answer after the deadline, answer twice, drop the connection after executing (answering only when
 * the platform re-sends after the reconnect), or refuse.
 */
export type Fault = 'no_answer' | 'late' | 'duplicate' | 'disconnect' | 'refuse';

export interface SimulatedDeviceOptions {
  url: string;
  uid: string;
  secret: string;
  kind: DeviceKind;
  topicRoot?: string;
  /** The BMS load cycle (EMS devices). */
  cycle?: Phase[];
  /** Meters behind a gateway. */
  meters?: GatewayMeter[];
  telemetryEveryMs?: number;
  readingsEveryMs?: number;
  /** How long after the deadline a `late` answer comes. */
  lateMs?: number;
  /** Every answer comes this long after the request (execution is immediate). */
  answerDelayMs?: number;
  /** How long a `disconnect` fault keeps the device away. */
  reconnectAfterMs?: number;
  /** Per-request probability of a fault, e.g. `{ duplicate: 0.01, late: 0.01 }` (benchmarks). */
  randomFaults?: Partial<Record<Fault, number>>;
  now?: () => number;
}

type Answer = { result: unknown } | { error: { code: number; message: string } };

/** A device following device-protocol.md over a real MQTT connection, with fault injection. */
export class SimulatedDevice {
  readonly bms: Bms;
  readonly reactive: ReactiveController;
  readonly gateway: MeterGateway | null;
  /** How many times each request id was executed (must never exceed 1). */
  readonly executions = new Map<string, number>();
  /** The fault committed on each request id that got one. */
  readonly faultsApplied = new Map<string, Fault>();
  /** Every request received, in order (ids may repeat when the platform re-sends). */
  readonly received: RpcRequest[] = [];
  private readonly results = new Map<string, Answer>();
  private readonly answered = new Set<string>();
  private readonly faults: Fault[] = [];
  private client: MqttClient | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;

  constructor(private readonly opts: SimulatedDeviceOptions) {
    this.now = opts.now ?? Date.now;
    this.bms = new Bms(this.now(), opts.cycle);
    this.reactive = new ReactiveController(this.now());
    this.gateway = opts.kind === 'gateway' ? new MeterGateway(this.now(), opts.meters ?? []) : null;
  }

  get uid(): string {
    return this.opts.uid;
  }

  private topic(kind: Parameters<typeof deviceTopic>[1]): string {
    return deviceTopic(this.opts.uid, kind, this.opts.topicRoot);
  }

  /** Changes the per-request fault probabilities (benchmarks switch them on after warm-up). */
  setRandomFaults(faults: Partial<Record<Fault, number>> | undefined): void {
    this.opts.randomFaults = faults;
  }

  /** Queues faults for the next requests, one each. */
  injectNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Connects (client id = username = uid, password = secret), announces itself online, starts publishing. */
  async start(): Promise<void> {
    await this.connect();
    if (this.opts.telemetryEveryMs) this.every(this.opts.telemetryEveryMs, () => this.publishTelemetry());
    if (this.gateway && this.opts.readingsEveryMs)
      this.every(this.opts.readingsEveryMs, () => this.publishReadings());
  }

  /** Resolves once subscribed and `online` is published; does the same after every reconnect. */
  private connect(): Promise<void> {
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.uid,
      username: this.opts.uid,
      password: this.opts.secret,
      clean: true,
      reconnectPeriod: 500,
      connectTimeout: 5000,
      will: { topic: this.topic('status'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('message', (_topic, payload) => this.onRequest(payload));
    client.on('error', () => undefined);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.end(true);
        reject(new Error(`device ${this.opts.uid} could not connect`));
      }, 8000);
      client.on('connect', () => {
        noDelay(client);
        client
          .subscribeAsync(this.topic('rpc/request'), { qos: 1 })
          .then(() => client.publishAsync(this.topic('status'), 'online', { qos: 1, retain: true }))
          .then(() => {
            clearTimeout(timer);
            resolve();
          })
          .catch(() => undefined);
      });
    });
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const t = setInterval(() => void fn().catch(() => undefined), ms);
    t.unref();
    this.timers.push(t);
  }

  /** Publishes the current telemetry values once. */
  async publishTelemetry(): Promise<void> {
    const now = this.now();
    this.reactive.tick(now);
    const s = this.bms.status(now);
    const pf = this.reactive.powerFactors();
    const values = {
      'bms.alarm_status': s.alarm_status,
      'bms.operating_status': s.operating_status,
      'pf.a': pf.a,
      'pf.b': pf.b,
      'pf.c': pf.c,
    };
    await this.client?.publishAsync(this.topic('telemetry'), JSON.stringify({ ts: now, values }), { qos: 1 });
  }

  /** Publishes one readings batch (gateways). */
  async publishReadings(): Promise<void> {
    if (!this.gateway) return;
    const batch = this.gateway.read(this.now());
    await this.client?.publishAsync(this.topic('readings'), JSON.stringify(batch), { qos: 1 });
  }

  /** Publishes a readings batch given by the caller (the demo's live meters); resolves once the broker has it. */
  async publishBatch(batch: ReadingsMessage): Promise<void> {
    if (!this.client) throw new Error(`${this.opts.uid} is not connected`);
    await this.client.publishAsync(this.topic('readings'), JSON.stringify(batch), { qos: 1 });
  }

  /** Says goodbye cleanly: status `offline`, then disconnect. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    const c = this.client;
    this.client = null;
    if (!c) return;
    const bye = c.connected
      ? c.publishAsync(this.topic('status'), 'offline', { qos: 1, retain: true }).catch(() => undefined)
      : Promise.resolve();
    await Promise.race([bye, new Promise((r) => setTimeout(r, 1000).unref())]);
    c.options.reconnectPeriod = 0;
    await Promise.race([
      c.endAsync().catch(() => undefined),
      new Promise((r) => setTimeout(r, 1000).unref()),
    ]);
    c.end(true);
  }

  /** Drops the connection without a goodbye (the broker publishes the `offline` will). */
  crash(): void {
    const c = this.client;
    if (!c) return;
    c.options.reconnectPeriod = 0;
    c.stream?.destroy();
    c.end(true);
  }

  private onRequest(payload: Buffer): void {
    let req: RpcRequest;
    try {
      req = rpcRequest.parse(JSON.parse(payload.toString('utf8')));
    } catch {
      return;
    }
    this.received.push(req);
    if (req.deadline < this.now()) return; // protocol: ignore requests past their deadline
    if (this.answered.has(req.id)) return; // answered once already: never twice on our own
    const earlier = this.results.get(req.id);
    if (earlier) return this.answer(req.id, earlier); // executed before a disconnect: answer now
    const fault = this.faults.shift() ?? this.randomFault();
    if (fault) this.faultsApplied.set(req.id, fault);
    if (fault === 'no_answer') return;
    const answer: Answer =
      fault === 'refuse'
        ? { error: { code: DeviceErrorCode.refused, message: '模拟设备拒绝执行（故障注入）' } }
        : this.execute(req);
    this.results.set(req.id, answer);
    if (fault === 'disconnect') return this.dropAndReturn();
    if (fault === 'late') {
      const wait = Math.max(0, req.deadline - this.now()) + (this.opts.lateMs ?? 200);
      const t = setTimeout(() => this.answer(req.id, answer), wait);
      this.timers.push(t);
      return;
    }
    const send = () => {
      this.answer(req.id, answer);
      if (fault === 'duplicate') this.publishAnswer(req.id, answer);
    };
    if (!this.opts.answerDelayMs) return send();
    this.timers.push(setTimeout(send, this.opts.answerDelayMs));
  }

  private randomFault(): Fault | undefined {
    const r = this.opts.randomFaults;
    if (!r) return undefined;
    let x = Math.random();
    for (const [fault, p] of Object.entries(r) as Array<[Fault, number]>) {
      if (x < p) return fault;
      x -= p;
    }
    return undefined;
  }

  private execute(req: RpcRequest): Answer {
    this.executions.set(req.id, (this.executions.get(req.id) ?? 0) + 1);
    const now = this.now();
    if (this.opts.kind !== 'ems')
      return { error: { code: DeviceErrorCode.unknownMethod, message: `网关不支持 ${req.method}` } };
    switch (req.method) {
      case 'bms.command': {
        const p = bmsCommandParams.safeParse(req.params);
        if (!p.success)
          return { error: { code: DeviceErrorCode.badParams, message: 'command 必须是 1、2 或 3' } };
        const out = this.bms.command(p.data.command, now);
        return 'refused' in out
          ? { error: { code: DeviceErrorCode.refused, message: out.refused } }
          : { result: { accepted: true } };
      }
      case 'bms.status':
        return { result: this.bms.status(now) };
      case 'reactive.set': {
        const out = this.reactive.apply(req.params);
        return 'invalid' in out
          ? { error: { code: DeviceErrorCode.badParams, message: out.invalid } }
          : { result: out.control };
      }
      case 'reactive.get':
        return { result: this.reactive.current() };
      default:
        return { error: { code: DeviceErrorCode.unknownMethod, message: `未知方法 ${req.method}` } };
    }
  }

  private answer(id: string, answer: Answer): void {
    this.answered.add(id);
    this.publishAnswer(id, answer);
  }

  private publishAnswer(id: string, answer: Answer): void {
    void this.client
      ?.publishAsync(this.topic('rpc/response'), JSON.stringify({ id, ...answer }), { qos: 1 })
      .catch(() => undefined);
  }

  /** Executed but the link drops before the answer; back after `reconnectAfterMs`. */
  private dropAndReturn(): void {
    const c = this.client;
    if (!c) return;
    c.options.reconnectPeriod = 0;
    c.stream?.destroy();
    c.end(true);
    this.client = null;
    const t = setTimeout(() => void this.connect().catch(() => undefined), this.opts.reconnectAfterMs ?? 300);
    this.timers.push(t);
  }
}
