import {
  adminBillItem,
  adminBillsQuery,
  billIdBody,
  billIdQuery,
  billItem,
  driverBillsQuery,
  driverClaimBody,
  driverLoginBody,
  driverSession,
  payOrderResult,
  reconItem,
  reconQuery,
  refundBody,
  refundItem,
  refundsQuery,
} from '@wattdesk/shared';
import { DateTime } from 'luxon';
import { RAW, route } from '../../core/http/route';
import { paged } from '../../core/http/envelope';
import { pageOf } from '../../core/http/origin';
import { definePermission } from '../../core/auth/permissions';
import type { DriverAuth } from './drivers';
import type { NotificationHandler } from './notify';
import type { PaymentsPresenter } from './present';
import type { PaymentsRepository } from './repository';
import type { Reconciler } from './reconcile';
import type { RefundsService } from './refunds';
import type { PaymentsService } from './service';
import { NOTIFY_PATHS } from './gateway';

export const paymentPermissions = {
  view: definePermission('payments.view', '查看充电账单与微信支付对账差异', ['admin']),
  refund: definePermission('payments.refund', '为已支付的充电账单退款', ['admin']),
};

const TAG = '充电支付';
const DRIVER =
  '需要司机令牌（Authorization: Bearer drv_…，来自 /api_3/driver_login）；管理端令牌无效（401）。';

export interface PaymentsParts {
  drivers: DriverAuth;
  service: PaymentsService;
  refunds: RefundsService;
  reconciler: Reconciler;
  notify: NotificationHandler;
  present: PaymentsPresenter;
  repo: PaymentsRepository;
  tz: string;
}

/** Driver, admin and WeChat Pay notification endpoints of the payments feature. */
export function paymentRoutes(p: PaymentsParts) {
  const localTime = (t: string) => DateTime.fromFormat(t, 'yyyy-MM-dd HH:mm:ss', { zone: p.tz }).toJSDate();
  return [
    route({
      method: 'post',
      path: '/api_3/driver_login',
      envelope: '002',
      tag: TAG,
      summary: '司机微信登录（扩展）：wx.login 的 code 换取司机令牌',
      description: '司机无需组织账号；令牌 7 天有效，只能查看和支付自己认领的充电账单。',
      access: 'public',
      rateLimit: { bucket: 'driver_login', points: 20, windowSec: 60 },
      body: driverLoginBody,
      response: driverSession,
      errors: { 400: 'code 无效或已使用（4103）', 502: '微信接口调用失败（4501）' },
      handler: async ({ body }) => p.drivers.login(body.code),
    }),
    route({
      method: 'post',
      path: '/api_3/driver_bill_claim',
      envelope: '002',
      tag: TAG,
      summary: '查找并认领充电账单（扩展）：扫充电枪二维码，或车牌号 + 手机号',
      description: `${DRIVER} 二维码内容为 \`WDPAY:<运营商编号>:<充电枪编号>\`，认领该枪 2 小时内结束的最近一笔未支付账单；车牌号与手机号须同时相符。`,
      access: 'public',
      rateLimit: { bucket: 'driver_claim', points: 30, windowSec: 60 },
      body: driverClaimBody,
      response: billItem,
      errors: { 401: '司机未登录（4101）', 404: '没有待支付的账单（4002）' },
      handler: async ({ ctx, body }) => {
        const d = await p.drivers.authenticate(ctx);
        return (await p.service.claim(d, body)).map((b) => p.present.bill(b));
      },
    }),
    route({
      method: 'get',
      path: '/api_3/driver_bills',
      envelope: '002',
      tag: TAG,
      summary: '我的充电账单（扩展）',
      description: DRIVER,
      access: 'public',
      query: driverBillsQuery,
      response: billItem,
      errors: { 401: '司机未登录（4101）' },
      handler: async ({ ctx, query }) => {
        const d = await p.drivers.authenticate(ctx);
        const { limit, offset } = pageOf(query);
        const r = await p.repo.listBills({ driverId: d.driverId, state: query.State }, limit, offset);
        return paged(
          r.items.map((b) => p.present.bill(b)),
          r.total,
        );
      },
    }),
    route({
      method: 'get',
      path: '/api_3/driver_bill',
      envelope: '002',
      tag: TAG,
      summary: '我的一笔充电账单及支付状态（扩展）',
      description: `${DRIVER} 支付后以此确认结果（以微信支付通知或查询为准，不以小程序回调为准）。`,
      access: 'public',
      query: billIdQuery,
      response: billItem,
      errors: { 401: '司机未登录（4101）', 404: '账单不存在（4002）' },
      handler: async ({ ctx, query }) =>
        p.present.bill(await p.service.driverBill(await p.drivers.authenticate(ctx), query.Bill_ID)),
    }),
    route({
      method: 'post',
      path: '/api_3/driver_bill_pay',
      envelope: '002',
      tag: TAG,
      summary: '为充电账单下单（扩展）：微信支付 JSAPI，返回 wx.requestPayment 参数',
      description: `${DRIVER} 同一账单在订单有效期内重复调用得到同一订单号、新的 prepay_id；过期订单自动关闭后可重新下单。`,
      access: 'public',
      rateLimit: { bucket: 'driver_pay', points: 20, windowSec: 60 },
      body: billIdBody,
      response: payOrderResult,
      errors: {
        401: '司机未登录（4101）',
        404: '账单不存在（4002）',
        409: '账单已支付（4003）',
        502: '微信支付调用失败（4501）',
      },
      handler: async ({ ctx, body }) => p.service.order(await p.drivers.authenticate(ctx), body.Bill_ID),
    }),
    route({
      method: 'get',
      path: '/api_3/charging_bills',
      envelope: '002',
      tag: TAG,
      summary: '本组织的充电账单（扩展，管理员）',
      access: { permission: paymentPermissions.view },
      query: adminBillsQuery,
      response: adminBillItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const r = await p.repo.listBills(
          {
            orgId: actor.orgId,
            state: query.State,
            billId: query.Bill_ID,
            from: query.Time_Start ? localTime(query.Time_Start) : undefined,
            to: query.Time_End ? localTime(query.Time_End) : undefined,
          },
          limit,
          offset,
        );
        return paged(
          r.items.map((b) => p.present.adminBill(b)),
          r.total,
        );
      },
    }),
    route({
      method: 'post',
      path: '/api_3/charging_bill_refund',
      envelope: '002',
      tag: TAG,
      summary: '充电账单退款（扩展，管理员，须填原因）',
      description:
        '按 Refund_No 幂等：同一 Refund_No 重复提交只退一次，返回同一笔退款；退款结果以微信支付通知或查询为准（退款处理中 → 退款成功）。',
      access: { permission: paymentPermissions.refund },
      body: refundBody,
      response: refundItem,
      errors: { 404: '账单不存在（4002）', 409: '账单未支付或 Refund_No 已用于另一笔退款（4003）' },
      handler: async ({ actor, body }) => p.present.refund(await p.refunds.request(actor, body)),
    }),
    route({
      method: 'get',
      path: '/api_3/charging_bill_refunds',
      envelope: '002',
      tag: TAG,
      summary: '一笔充电账单的退款记录（扩展，管理员）',
      access: { permission: paymentPermissions.view },
      query: refundsQuery,
      response: refundItem,
      errors: { 404: '账单不存在（4002）' },
      handler: async ({ actor, query }) =>
        (await p.refunds.list(actor, query.Bill_ID)).map((r) => p.present.refund(r)),
    }),
    route({
      method: 'get',
      path: '/api_3/pay_reconciliation',
      envelope: '002',
      tag: TAG,
      summary: '微信支付对账差异（扩展，管理员）：每日对账发现的差异',
      access: { permission: paymentPermissions.view },
      query: reconQuery,
      response: reconItem,
      handler: async ({ actor, query }) => {
        const { limit, offset } = pageOf(query);
        const r = await p.repo.listDiffs(actor.orgId, query.Bill_Date, limit, offset);
        return paged(
          r.items.map((d) => p.present.diff(d)),
          r.total,
        );
      },
    }),
    ...(['pay', 'refund'] as const).map((kind) =>
      route({
        method: 'post',
        path: NOTIFY_PATHS[kind],
        envelope: 'plain',
        tag: TAG,
        summary: kind === 'pay' ? '微信支付结果通知（微信支付调用）' : '微信支付退款结果通知（微信支付调用）',
        description:
          '验证 Wechatpay-Signature（平台证书与微信支付公钥两种模式），AEAD_AES_256_GCM 解密并校验标签，处理提交后应答 204；验证失败应答 4xx `{"code":"FAIL"}`，微信支付按其时间表重发。',
        access: 'public',
        bodyType: 'raw',
        errors: { 400: '通知格式或解密失败', 401: '签名验证失败' },
        handler: async ({ ctx }) => {
          await p.notify.handle(ctx, kind);
          return RAW;
        },
      }),
    ),
  ];
}
