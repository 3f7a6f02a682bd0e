import { defineFeature } from '../../platform/contract';
import { DEMO_USER } from '../../demo/demo-data';
import { deviceSimulatorDemo } from '../../fakes/devices/demo';
import { startDevices, type DevicesFeature, type DevicesOptions } from './wiring';
import { devicesRoutes } from './routes';
import { GatewayActivity } from './gateway-activity';
import { gatewayRoutes } from './gateway-routes';

declare module '../../platform/contract' {
  interface FeatureApis {
    /** Device registry, command relay and the MQTT bus (seeds 000/001). */
    devices: DevicesFeature;
  }
}

/** The cron job closing commands abandoned by a dead instance (`CommandRelay.sweep`). */
export const COMMANDS_SWEEP_JOB = 'devices.commands-sweep';

/**
 * Devices (seeds 000/001). Gateway readings (`wd/{uid}/readings`) go to the metering feature's ingest
 * service through `ctx.use('metering')`: a direct call, not an event, because the gateway's batch is
 * acknowledged by ingest's commit (durable before acknowledged) and its per-reading errors are logged
 * where the batch came in. Each batch's verdict and every presence change are kept for the gateway page
 * (`gateway-activity.ts`).
 */
export const devicesFeature = (opts: DevicesOptions = {}) =>
  defineFeature('devices', async (ctx) => {
    const metering = ctx.use('metering');
    const { accounts } = ctx.use('accounts');
    const devices = await startDevices(
      {
        config: ctx.config,
        db: ctx.db,
        redis: ctx.redis,
        clock: ctx.clock,
        log: ctx.log,
        events: ctx.events,
      },
      opts,
    );
    const gateways = new GatewayActivity(ctx.db, devices.registry, metering.meters);
    devices.setReadingsSink({
      ingestGatewayReadings: async ({ orgId, deviceUid, readings }) => {
        const at = ctx.clock.now();
        const result = await metering.ingest.ingest(orgId, readings, 'mqtt');
        // The batch is stored (ingest committed); its summary for the gateway page must not fail it.
        await gateways
          .recordBatch({ orgId, deviceUid, readings, result, at })
          .catch((err: unknown) => ctx.log.error({ err, deviceUid }, 'gateway batch summary not recorded'));
        return result;
      },
    });
    const demo = deviceSimulatorDemo(devices, () => accounts.userByName(DEMO_USER), {
      accounts,
      db: ctx.db,
      clock: ctx.clock,
      log: ctx.log,
    });
    return {
      api: devices,
      routes: [...devicesRoutes, ...gatewayRoutes(gateways)],
      jobs: [
        {
          name: COMMANDS_SWEEP_JOB,
          // Every minute on one instance: commands of an instance that died are closed within a minute
          // of their `answer_by` (the instance that sent a command ends it itself at the deadline).
          cron: { expression: '* * * * *' },
          defaults: { retryLimit: 2, retryDelay: 10 },
          handle: async () => {
            await devices.relay.sweep();
          },
        },
      ],
      consumers: [
        {
          name: 'devices.status-history',
          events: ['device.status'],
          handle: (e) => gateways.onStatus(e),
        },
      ],
      readiness: () => devices.readiness(),
      start: () => devices.start(),
      demo: demo.start,
      stop: async () => {
        await demo.stop();
        await devices.close();
      },
    };
  });
