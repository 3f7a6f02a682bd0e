import type { BillState } from '@wattdesk/shared';
import { defineFeature } from '../../platform/contract';
import { startDemoWeChatPay } from '../../fakes/wechatpay/demo';
import type { FakeWeChatPay } from '../../fakes/wechatpay/server';
import { DriverAuth } from './drivers';
import { PayGateway } from './gateway';
import { NotificationHandler } from './notify';
import { PaymentsPresenter } from './present';
import { JOB_RECONCILE, RECONCILE_CRON, Reconciler } from './reconcile';
import { JOB_REFUND, JOB_REFUND_QUERY, RefundsService } from './refunds';
import { PaymentsRepository } from './repository';
import { paymentRoutes } from './routes';
import { demoPayRoute } from './demo-pay';
import { JOB_CLOSE, JOB_QUERY, PaymentsService } from './service';

/** What other features (and tests) may use of payments. */
export interface PaymentsApi {
  gateway: PayGateway;
  service: PaymentsService;
  refunds: RefundsService;
  reconciler: Reconciler;
  /**
   * A charging record's bill payment state, for the operator-side extension endpoint (charging's
   * operator API); null when the record has no bill (no amount, or not consumed yet).
   */
  billOfRecord(recordPk: number): Promise<{
    billId: number;
    state: BillState;
    amountFen: number;
    refundedFen: number;
    paidAt: Date | null;
  } | null>;
  /** The fake WeChat Pay demo mode started (undefined otherwise). */
  demoFake(): FakeWeChatPay | undefined;
}

declare module '../../platform/contract' {
  interface FeatureApis {
    payments: PaymentsApi;
  }
}

/**
 * Paying a finished charging session's bill with WeChat Pay (issue 11 item 5): bills from
 * `charging.record.submitted`, WeChat-only drivers, JSAPI orders, verified notifications, the query
 * and close jobs, refunds by admins, and the daily reconciliation.
 */
export const paymentsFeature = defineFeature('payments', (ctx) => {
  const wechat = ctx.use('wechat').client;
  const log = ctx.log.child({ feature: 'payments' });
  const tz = ctx.config.DEFAULT_TIME_ZONE;
  const repo = new PaymentsRepository(ctx.db);
  const gateway = new PayGateway(ctx.config, { clock: ctx.clock, log: log.child({ adapter: 'wechatpay' }) });
  const service = new PaymentsService(repo, gateway, ctx.events, ctx.jobs, ctx.clock, tz, log);
  const refunds = new RefundsService(repo, service, gateway, ctx.jobs, ctx.clock);
  const reconciler = new Reconciler(repo, gateway, ctx.clock, log);
  const notify = new NotificationHandler(gateway, service, refunds, log);
  const drivers = new DriverAuth(repo, wechat, ctx.clock);
  let fake: FakeWeChatPay | undefined;
  const retry = { retryLimit: 10, retryDelay: 10, retryBackoff: true };
  return {
    api: {
      gateway,
      service,
      refunds,
      reconciler,
      demoFake: () => fake,
      billOfRecord: async (recordPk: number) => {
        const b = await repo.findBillByRecord(recordPk);
        return (
          b && {
            billId: b.id,
            state: b.state,
            amountFen: b.amountFen,
            refundedFen: b.refundedFen,
            paidAt: b.paidAt,
          }
        );
      },
    },
    routes: paymentRoutes({
      drivers,
      service,
      refunds,
      reconciler,
      notify,
      repo,
      tz,
      present: new PaymentsPresenter(tz),
    }).concat(ctx.config.WD_DEMO ? [demoPayRoute(gateway)] : []),
    consumers: [
      {
        name: 'payments.bills',
        events: ['charging.record.submitted'],
        handle: (evs) => service.onRecords(evs),
      },
    ],
    jobs: [
      {
        name: JOB_QUERY,
        defaults: retry,
        handle: (d: { outTradeNo: string }) => service.queryOrder(d.outTradeNo),
      },
      {
        name: JOB_CLOSE,
        defaults: retry,
        handle: (d: { outTradeNo: string }) => service.closeOrder(d.outTradeNo),
      },
      {
        name: JOB_REFUND,
        defaults: retry,
        handle: (d: { outRefundNo: string }) => refunds.send(d.outRefundNo),
      },
      {
        name: JOB_REFUND_QUERY,
        defaults: retry,
        handle: (d: { outRefundNo: string }) => refunds.query(d.outRefundNo),
      },
      {
        name: JOB_RECONCILE,
        defaults: { retryLimit: 6, retryDelay: 600, retryBackoff: true },
        cron: RECONCILE_CRON,
        handle: async (d: { billDate?: string } | undefined) => {
          if (!gateway.configured) return;
          await reconciler.run(d?.billDate);
        },
      },
    ],
    demo: async () => {
      if (gateway.configured) return [];
      const started = await startDemoWeChatPay({
        port: ctx.config.WD_FAKE_WECHATPAY_PORT,
        appid: wechat.appid,
      });
      fake = started.fake;
      gateway.useFake(started.client, `${fake.url}/__fake/pay`);
      return [
        `  模拟微信支付:        ${fake.url}   (付款控制接口 ${fake.url}/__fake/pay 等，见 bff/src/fakes/wechatpay/README.md)`,
      ];
    },
    stop: async () => {
      await fake?.close();
      fake = undefined;
    },
  };
});
