import {
  deviceStatusMessage,
  deviceTopic,
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
import type { MessageClaims } from './claim';

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

/** Takes device messages off the bus (status, telemetry, readings, answers), each processed once. */
export class DeviceIngress {
  private sink?: ReadingsSink;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bus: MqttBus,
    private readonly claims: MessageClaims,
    private readonly devices: DeviceRepository,
    private readonly relay: CommandRelay,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly topicRoot: string,
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
    await this.bus.subscribe(
      (['status', 'telemetry', 'readings', 'rpc/response'] as const).map((k) =>
        deviceTopic('+', k, this.topicRoot),
      ),
    );
  }

  /** Waits for messages already taken to finish (before shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async handle(m: BusMessage): Promise<void> {
    const t = parseDeviceTopic(m.topic, this.topicRoot);
    if (!t || t.kind === 'rpc/request') return;
    if (!(await this.claims.claim(m.topic, m.payload))) return;
    const now = this.clock.now();
    switch (t.kind) {
      case 'rpc/response':
        return this.relay.handleResponse(t.uid, m.payload);
      case 'status': {
        const raw = m.payload
          .toString('utf8')
          .trim()
          .replace(/^"(.*)"$/, '$1');
        const status = deviceStatusMessage.safeParse(raw);
        if (!status.success) return this.log.warn({ uid: t.uid }, 'bad status payload; ignored');
        await this.devices.setOnline(t.uid, status.data === 'online', now);
        if (status.data === 'online') await this.relay.republishOpen(t.uid);
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
