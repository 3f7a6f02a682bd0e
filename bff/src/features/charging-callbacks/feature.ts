import { defineFeature, type PlatformContext } from '../../platform/contract';
import { CallbackService, JOB_CALL, type CallbackOptions } from './callbacks';
import './events';
import { chargingPortsOf } from './charging-ports';
import { OperatorRequests } from './operator-requests';
import type { ChargingPorts } from './ports';
import { CallbackRepository } from './repository';
import { chargingCallbackRoutes } from './routes';
import { SafetyRepository } from './safety-repository';
import { JOB_FAULT_CHECK, SafetyService, type FaultCheck } from './safety';
import { callbackPolicyOf } from './url-policy';
import { DEMO_OPERATOR_ID } from '../../fakes/charging-operator/simulator';

/** What other features (and tests) may use of the charging callbacks. */
export interface ChargingCallbacksApi {
  callbacks: CallbackService;
  safety: SafetyService;
  requests: OperatorRequests;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    'charging-callbacks': ChargingCallbacksApi;
  }
}

/**
 * Seed 004 上报回调地址管理 and 安全预警管理 (issue 11 item 2): the operators' callback addresses, the
 * platform's signed calls to them with retries on the job runner (every attempt logged), and safety
 * warnings from connector status reports — to the operator's callback and, through the event
 * `charging.safety.warning`, to the site's managers as alarms. `portsOf` maps the charging feature's api.
 */
export const chargingCallbacksFeatureWith = (
  portsOf: (ctx: PlatformContext) => ChargingPorts,
  overrides: Pick<CallbackOptions, 'resolve' | 'post'> = {},
) =>
  defineFeature('charging-callbacks', (ctx) => {
    const { config } = ctx;
    const log = ctx.log.child({ feature: 'charging-callbacks' });
    const ports = portsOf(ctx);
    const opts: CallbackOptions = {
      policy: callbackPolicyOf(
        {
          demo: ctx.demo,
          allowHttp: config.CHARGING_CALLBACK_ALLOW_HTTP,
          allowedNetworks: config.CHARGING_CALLBACK_ALLOWED_NETWORKS,
        },
        DEMO_OPERATOR_ID,
      ),
      timeoutMs: config.CHARGING_CALLBACK_TIMEOUT_MS,
      retries: config.CHARGING_CALLBACK_RETRIES,
      ...overrides,
    };
    const callbacks = new CallbackService(
      new CallbackRepository(ctx.db),
      ports,
      ctx.jobs,
      ctx.clock,
      opts,
      log,
    );
    const safety = new SafetyService(
      ctx.db,
      new SafetyRepository(),
      callbacks,
      ctx.events,
      ctx.jobs,
      ctx.clock,
      {
        faultMinutes: config.CHARGING_FAULT_WARNING_MINUTES,
        maxTemperature: config.CHARGING_MAX_TEMPERATURE_C,
      },
    );
    const requests = new OperatorRequests(ctx.db, ports, callbacks, ctx.clock);
    return {
      api: { callbacks, safety, requests },
      routes: chargingCallbackRoutes(callbacks, requests, ports),
      consumers: [
        {
          name: 'charging-callbacks.safety',
          events: ['charging.cell.status'],
          handle: (e) => safety.onCellStatus(e),
        },
        {
          name: 'charging-callbacks.report-refused',
          events: ['charging.report.refused'],
          handle: (e) => requests.onRefused(e),
        },
      ],
      jobs: [
        {
          name: JOB_CALL,
          handle: (d: { callId: number }, job) => callbacks.attempt(d, job),
          defaults: {
            retryLimit: opts.retries,
            retryDelay: 10,
            retryBackoff: true,
            expireInSeconds: Math.ceil((2 * opts.timeoutMs) / 1000) + 30,
          },
          concurrency: 4,
        },
        {
          name: JOB_FAULT_CHECK,
          handle: (d: FaultCheck) => safety.faultCheck(d),
          defaults: { retryLimit: 5, retryDelay: 5, retryBackoff: true },
        },
      ],
    };
  });

/** The feature as the app builds it (after the charging feature in features/index.ts). */
export const chargingCallbacksFeature = chargingCallbacksFeatureWith(chargingPortsOf);
