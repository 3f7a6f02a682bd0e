import {
  deviceTopic,
  parseDeviceStatus,
  parseDeviceTopic,
  readingsMessage,
  telemetryMessage,
  type ReadingsMessage,
} from '@wattdesk/shared';
import type { Clock } from '../../../infra/clock';
import type { Logger } from '../../../infra/logger';
import type { BusMessage, MqttBus } from '../../../infra/mqtt/bus';
import type { CommandRelay } from '../commands/relay';
import type { DeviceRepository } from '../registry/repository';

/** Where gateway readings go: the metering ingest service (energy issue). */
export interface ReadingsSink {
  ingestGatewayReadings(input: {
    orgId: number;
    deviceUid: string;
    readings: ReadingsMessage['readings'];
  }): Promise<unknown>;
}

const json = (payload: Buffer): unknown => {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
};

/**
 * Takes device messages off the bus (status, telemetry, readings, answers). Which instance processes a
 * message is the broker's decision, never ours: with several instances on an external broker
 * (Mosquitto ≥ 2, EMQX) telemetry, readings and answers come through a shared subscription
 * (`$share/{group}/…`), so each message reaches one instance; the single-instance embedded broker
 * (aedes has no shared subscriptions) uses plain ones. Status uses a plain subscription on every
 * instance: shared subscriptions receive no retained messages, and the retained status is where
 * presence comes from after a restart; every instance may apply it, and its `ts` orders it, so a
 * status is applied once and a stale one never. Every handler is idempotent by identity (status and
 * telemetry by device timestamp, readings by (meter, ts), answers by request id).
 */
export class DeviceIngress {
  private sink?: ReadingsSink;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bus: MqttBus,
    private readonly devices: DeviceRepository,
    private readonly relay: CommandRelay,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly topicRoot: string,
    /** Shared-subscription group (external broker with several instances); null: plain subscriptions. */
    private readonly shareGroup: string | null = null,
  ) {}

  /** Gateway readings are handed to this sink (set when the metering feature is wired). */
  setReadingsSink(sink: ReadingsSink): void {
    this.sink = sink;
  }

  /** Subscribes to every device's status, telemetry, readings and answers. */
  async start(): Promise<void> {
    this.bus.onMessage((m) => {
      const p = this.handle(m)
        .catch((err: unknown) => this.log.error({ err, topic: m.topic }, 'device message failed'))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    });
    await this.bus.subscribe(this.filters());
  }

  /** The subscriptions: status plain (retained presence), the rest shared when a group is set. */
  filters(): string[] {
    const share = (f: string) => (this.shareGroup ? `$share/${this.shareGroup}/${f}` : f);
    return [
      deviceTopic('+', 'status', this.topicRoot),
      ...(['telemetry', 'readings', 'rpc/response'] as const).map((k) =>
        share(deviceTopic('+', k, this.topicRoot)),
      ),
    ];
  }

  /** Waits for messages already taken to finish (before shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async handle(m: BusMessage): Promise<void> {
    const t = parseDeviceTopic(m.topic, this.topicRoot);
    if (!t || t.kind === 'rpc/request') return;
    const now = this.clock.now();
    switch (t.kind) {
      case 'rpc/response':
        return this.relay.handleResponse(t.uid, m.payload);
      case 'status': {
        const status = parseDeviceStatus(m.payload.toString('utf8'));
        if (!status) return this.log.warn({ uid: t.uid }, 'bad status payload; ignored');
        const online = status.status === 'online';
        const applied = await this.devices.setOnline(t.uid, online, status.ts ?? now.getTime(), now);
        if (applied && online) await this.relay.republishOpen(t.uid);
        return;
      }
      case 'telemetry': {
        const msg = telemetryMessage.safeParse(json(m.payload));
        if (!msg.success) return this.log.warn({ uid: t.uid }, 'bad telemetry payload; ignored');
        // A device clock far ahead would freeze its telemetry (newer values win): trust ours then.
        const ts = msg.data.ts > now.getTime() + 300_000 ? now : new Date(msg.data.ts);
        await this.devices.mergeTelemetry(t.uid, msg.data.values, ts, now);
        return;
      }
      case 'readings': {
        const msg = readingsMessage.safeParse(json(m.payload));
        if (!msg.success) return this.log.warn({ uid: t.uid }, 'bad readings payload; ignored');
        await this.devices.touch(t.uid, now);
        const orgId = await this.devices.orgOf(t.uid);
        if (orgId === undefined)
          return this.log.warn({ uid: t.uid }, 'readings from an unregistered gateway');
        if (!this.sink) return this.log.warn({ uid: t.uid }, 'no readings ingest wired; batch not stored');
        const result = (await this.sink.ingestGatewayReadings({
          orgId,
          deviceUid: t.uid,
          readings: msg.data.readings,
        })) as { rejected?: number; errors?: unknown[] } | undefined;
        if (result?.rejected)
          this.log.warn(
            { uid: t.uid, rejected: result.rejected, errors: result.errors?.slice(0, 5) },
            'gateway readings rejected',
          );
        return;
      }
    }
  }
}
