import crypto from 'node:crypto';
import os from 'node:os';
import type { Redis } from 'ioredis';
import type { Config } from '@wattdesk/config';
import type { Events } from '../../platform/contract';
import type { Db } from '../../infra/db/client';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { EmbeddedBroker } from '../../infra/mqtt/broker';
import { MqttBus } from '../../infra/mqtt/bus';
import { DeviceRepository } from './registry/repository';
import { DeviceRegistry, PLATFORM_USER, type PlatformCredentials } from './registry/service';
import { CommandRepository } from './commands/repository';
import { CommandRelay } from './commands/relay';
import { CommandService } from './commands/service';
import { DeviceIngress, type ReadingsSink } from './bus/ingress';
import { DeviceFacts } from './facts';

/** Per-process overrides (tests run several instances, each on its own topics). */
export interface DevicesOptions {
  /** Stable id of this BFF instance: its MQTT session is `wd-bff-{instanceId}`. Default: host-PORT. */
  instanceId?: string;
  /** First topic level; `wd` per the protocol. Tests on the shared Mosquitto use their own. */
  topicRoot?: string;
}

/** The devices feature as the rest of the BFF sees it. */
export interface DevicesFeature {
  mode: 'embedded' | 'external' | 'off';
  registry: DeviceRegistry;
  commands: CommandService;
  relay: CommandRelay;
  /** The BFF's bus connection (null when WD_MQTT_MODE=off). */
  bus: MqttBus | null;
  /** The embedded broker, when this process runs one. */
  broker: EmbeddedBroker | null;
  /** URL devices connect to (null when off). */
  brokerUrl: string | null;
  topicRoot: string;
  /** Read-only device facts for other features (a device's name and kind), optionally in their transaction. */
  facts: DeviceFacts;
  /** Wires gateway readings to the metering ingest service. */
  setReadingsSink(sink: ReadingsSink): void;
  /**
   * Starts taking device messages off the bus (messages arriving before wait in the bus), once every
   * feature is built and the job runner is up, so their events reach every consumer.
   */
  start(): Promise<void>;
  readiness(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

function resolveMode(config: Config): DevicesFeature['mode'] {
  if (config.WD_MQTT_MODE) return config.WD_MQTT_MODE;
  if (config.MQTT_URL) return 'external';
  return config.NODE_ENV === 'test' ? 'off' : 'embedded';
}

/** Shared subscriptions on an external broker (unless WD_MQTT_SHARE_GROUP=none); aedes has none. */
function shareGroupOf(config: Config, mode: DevicesFeature['mode']): string | null {
  return mode === 'external' && config.WD_MQTT_SHARE_GROUP !== 'none' ? config.WD_MQTT_SHARE_GROUP : null;
}

/** Starts the broker (embedded mode), connects the bus, and wires registry, relay and ingress. */
export async function startDevices(
  env: { config: Config; db: Db; redis: Redis; clock: Clock; log: Logger; events: Events },
  opts: DevicesOptions = {},
): Promise<DevicesFeature> {
  const { config, db, redis, clock } = env;
  const log = env.log.child({ feature: 'devices' });
  const mode = resolveMode(config);
  const topicRoot = opts.topicRoot ?? 'wd';
  const instanceId = opts.instanceId ?? `${os.hostname()}-${config.PORT}`;
  const external = mode === 'external' && config.MQTT_URL ? new URL(config.MQTT_URL) : null;
  const platform: PlatformCredentials = {
    username: external?.username ? decodeURIComponent(external.username) : PLATFORM_USER,
    password: external?.password
      ? decodeURIComponent(external.password)
      : (config.WD_MQTT_PASSWORD ?? crypto.randomBytes(24).toString('base64url')),
  };
  const deviceRepo = new DeviceRepository(db, env.events);
  const registry = new DeviceRegistry(deviceRepo, clock, { topicRoot, platform });
  const commandRepo = new CommandRepository(db, env.events);

  let broker: EmbeddedBroker | null = null;
  let bus: MqttBus | null = null;
  let brokerUrl: string | null = null;
  if (mode === 'embedded') {
    broker = await EmbeddedBroker.start({
      port: config.WD_MQTT_PORT,
      redis: { url: config.REDIS_URL, keyPrefix: `${config.REDIS_KEY_PREFIX}mqtt:` },
      decide: (req) => registry.decideConnect(req),
      log,
    });
    brokerUrl = `mqtt://127.0.0.1:${broker.port}`;
  } else if (mode === 'external') {
    brokerUrl = config.MQTT_URL!;
  }
  if (brokerUrl) {
    try {
      bus = await MqttBus.connect({
        url: brokerUrl,
        clientId: `${PLATFORM_USER}-${instanceId}`,
        username: mode === 'embedded' ? platform.username : undefined,
        password: mode === 'embedded' ? platform.password : undefined,
        sessionExpirySec: mode === 'external' ? config.WD_MQTT_SESSION_EXPIRY_SEC : undefined,
        log,
      });
    } catch (err) {
      await broker?.close();
      throw err;
    }
  }
  const subscriber = bus ? redis.duplicate({ maxRetriesPerRequest: null }) : null;
  const relay = new CommandRelay(commandRepo, bus, redis, subscriber, clock, log, {
    topicRoot,
    channel: `${config.REDIS_KEY_PREFIX}devices:commands`,
  });
  await relay.start();
  const commands = new CommandService(commandRepo, deviceRepo, registry, relay, clock, {
    timeoutMs: config.DEVICE_RPC_TIMEOUT_MS,
  });
  const ingress = bus
    ? new DeviceIngress(bus, deviceRepo, relay, clock, log, topicRoot, shareGroupOf(config, mode))
    : null;
  log.info({ mode, brokerUrl: broker ? brokerUrl : undefined }, 'devices feature started');

  return {
    mode,
    registry,
    commands,
    relay,
    bus,
    broker,
    brokerUrl,
    topicRoot,
    facts: new DeviceFacts(db),
    setReadingsSink: (sink) => ingress?.setReadingsSink(sink),
    start: async () => ingress?.start(),
    readiness: async () => ({ mqtt: mode === 'off' ? 'off' : bus?.connected ? 'ok' : 'disconnected' }),
    close: async () => {
      await ingress?.drain();
      await relay.stop();
      await bus?.close();
      await broker?.close();
    },
  };
}
