import { z } from 'zod';
import { route } from '../../core/http/route';
import type { AssetsService } from './assets-service';
import {
  OPERATOR_AUTH_HELP,
  operatorHeaders,
  operatorRoute,
  type ChargingOperator,
  type OperatorAuth,
} from './operator-auth';
import type { RecordsService } from './records-service';
import {
  cellBody,
  cellIdQuery,
  cellListQuery,
  cellStatusBody,
  cellStatusListBody,
  chargeRecordBody,
  chargeRecordListBody,
  chargeRecordListQuery,
  equipmentBody,
  equipmentIdQuery,
  equipmentListQuery,
  recordIdQuery,
  stationBody,
  stationIdQuery,
  stationListQuery,
} from './schemas';
import type { StatusService } from './status-service';

const OK = '请求成功!';
const page = (item: z.ZodType) => z.object({ total: z.number().int(), list: z.array(item) });
const loose = z.record(z.string(), z.unknown());

/** One resource's four seed 004 endpoints: submit (POST), delete (DELETE), modify (PUT), paged list (GET). */
function crudRoutes<B extends z.ZodType, I extends z.ZodType, L extends z.ZodType>(
  auth: OperatorAuth,
  d: {
    tag: string;
    path: string;
    what: string;
    body: B;
    idQuery: I;
    listQuery: L;
    create: (op: ChargingOperator, b: z.output<B>) => Promise<void>;
    update: (op: ChargingOperator, b: z.output<B>) => Promise<void>;
    remove: (op: ChargingOperator, q: z.output<I>) => Promise<void>;
    list: (op: ChargingOperator, q: z.output<L>) => Promise<unknown>;
  },
) {
  const { tag, path, what } = d;
  return [
    operatorRoute(auth, {
      method: 'post',
      path,
      tag,
      summary: `提交一个${what}信息`,
      body: d.body,
      response: z.string(),
      successMessage: OK,
      errors: { 409: `${what} id 在同一运营商内已存在` },
      handler: async ({ operator, body }) => {
        await d.create(operator, body);
        return '提交成功!';
      },
    }),
    operatorRoute(auth, {
      method: 'delete',
      path,
      tag,
      summary: `删除一个${what}信息`,
      query: d.idQuery,
      response: z.string(),
      successMessage: OK,
      errors: { 404: `${what}不存在`, 409: `${what}仍被引用` },
      handler: async ({ operator, query }) => {
        await d.remove(operator, query);
        return '删除成功!';
      },
    }),
    operatorRoute(auth, {
      method: 'put',
      path,
      tag,
      summary: `修改一个${what}信息（整体替换，id 不变）`,
      body: d.body,
      response: z.string(),
      successMessage: OK,
      errors: { 404: `${what}不存在` },
      handler: async ({ operator, body }) => {
        await d.update(operator, body);
        return '修改成功!';
      },
    }),
    operatorRoute(auth, {
      method: 'get',
      path,
      tag,
      summary: `分页查询多个${what}信息列表（pageNum 从 1 开始，pageSize 默认 10）`,
      query: d.listQuery,
      response: page(loose),
      successMessage: OK,
      handler: async ({ operator, query }) => d.list(operator, query),
    }),
  ];
}

/** Seed 004: every endpoint of its table of contents served here (callbacks and safety warnings: charging-callbacks). */
export function operatorRoutes(
  auth: OperatorAuth,
  s: { assets: AssetsService; status: StatusService; records: RecordsService },
) {
  const a = s.assets;
  return [
    route({
      method: 'get',
      path: '/platform/management/operatorAPIToken',
      envelope: 'charging',
      tag: '004 获取运营商 operator token',
      summary: '获取运营商 operator token（有效期 2 小时，过期前可再次获取以续期）',
      description:
        '请求头 Datetime、OperatorId、Signature（Token 为空串参与签名："datetime: <Datetime>\\noperatorid: <OperatorId>\\ntoken: "）。' +
        '答复 data 为 token；有效期见响应头 X-Token-Expires-In（秒，默认 7200）。\n\n' +
        OPERATOR_AUTH_HELP,
      access: 'public',
      response: z.string(),
      successMessage: OK,
      rateLimit: { bucket: 'charging-token', points: 120, windowSec: 60 },
      errors: { 401: '鉴权失败（data.code 见说明）' },
      handler: async ({ ctx }) => {
        const { token } = await auth.issueToken(operatorHeaders(ctx));
        ctx.set('X-Token-Expires-In', String(auth.options.tokenTtlSec));
        ctx.set('Cache-Control', 'no-store');
        return token;
      },
    }),
    ...crudRoutes(auth, {
      tag: '004 充电站管理',
      path: '/platform/management/station',
      what: '充电站',
      body: stationBody,
      idQuery: stationIdQuery,
      listQuery: stationListQuery,
      create: (op, b) => a.createStation(op, b),
      update: (op, b) => a.updateStation(op, b),
      remove: (op, q) => a.deleteStation(op, q.stationId),
      list: (op, q) => a.listStations(op, q),
    }),
    ...crudRoutes(auth, {
      tag: '004 充电设施管理',
      path: '/platform/management/equipment',
      what: '充电设施',
      body: equipmentBody,
      idQuery: equipmentIdQuery,
      listQuery: equipmentListQuery,
      create: (op, b) => a.createEquipment(op, b),
      update: (op, b) => a.updateEquipment(op, b),
      remove: (op, q) => a.deleteEquipment(op, q.equipmentId),
      list: (op, q) => a.listEquipment(op, q),
    }),
    ...crudRoutes(auth, {
      tag: '004 充电口管理',
      path: '/platform/management/cell',
      what: '充电口',
      body: cellBody,
      idQuery: cellIdQuery,
      listQuery: cellListQuery,
      create: (op, b) => a.createCell(op, b),
      update: (op, b) => a.updateCell(op, b),
      remove: (op, q) => a.deleteCell(op, q.cellId),
      list: (op, q) => a.listCells(op, q),
    }),
    ...(['', '/reReport'] as const).map((suffix) =>
      operatorRoute(auth, {
        method: 'post',
        path: `/platform/management/cellStatus${suffix}`,
        tag: '004 实时数据上报',
        summary: suffix
          ? '重新上报充电口实时信息（与上报相同；较旧的 statusTime 不覆盖较新的状态）'
          : '上报充电口实时信息',
        description:
          'status：0 离网、1 空闲、2 占用未充电、3 充电中、4 预约锁定、255 故障（T/CEC 102）。statusTime 早于或等于已保存状态的上报被接受但不覆盖（data.kept=false）。' +
          'totalPower 为本次充电已充电量（kWh）。',
        body: cellStatusBody,
        response: z.object({ cellId: z.string(), kept: z.boolean() }),
        successMessage: OK,
        errors: { 404: '充电口不存在' },
        handler: async ({ operator, body }) => s.status.report(operator, body),
      }),
    ),
    operatorRoute(auth, {
      method: 'post',
      path: '/platform/management/cellStatusList',
      tag: '004 实时数据上报',
      summary: '上报充电口实时信息列表（逐项检查，按位置答复接受或拒绝）',
      body: cellStatusListBody,
      response: z.array(
        z.object({
          index: z.number(),
          cellId: z.string().nullable(),
          accepted: z.boolean(),
          kept: z.boolean().optional(),
          message: z.string(),
          field: z.string().optional(),
        }),
      ),
      successMessage: OK,
      handler: async ({ operator, body }) => s.status.reportList(operator, body.list),
    }),
    operatorRoute(auth, {
      method: 'post',
      path: '/platform/management/chargeOrder',
      tag: '004 充电记录管理',
      summary: '提交一个充电记录信息（按 recordId 幂等：重复提交答复 duplicate=true，不重复计费）',
      description:
        '检查：startTime < endTime；电量与金额非负；totalMoney = elecMoney + serviceMoney；elecMoney = totalPower × elecPrice、serviceMoney = totalPower × servicePrice' +
        '（或按 chargeDetails 分时段），误差不超过 0.01 元 + 0.005 kWh × 单价。',
      body: chargeRecordBody,
      response: z.object({
        recordId: z.string(),
        accepted: z.boolean(),
        duplicate: z.boolean(),
        message: z.string(),
      }),
      successMessage: OK,
      handler: async ({ operator, body }) => s.records.submit(operator, body),
    }),
    operatorRoute(auth, {
      method: 'post',
      path: '/platform/management/chargeOrderList',
      tag: '004 充电记录管理',
      summary: '提交充电记录信息列表（逐项检查，按位置答复接受或拒绝）',
      body: chargeRecordListBody,
      response: z.array(loose),
      successMessage: OK,
      handler: async ({ operator, body }) => s.records.submitList(operator, body.list),
    }),
    operatorRoute(auth, {
      method: 'get',
      path: '/platform/management/chargeOrder',
      tag: '004 充电记录管理',
      summary: '分页查询多个充电记录信息列表（startTime/endTime 按结束时间筛选）',
      query: chargeRecordListQuery,
      response: page(loose),
      successMessage: OK,
      handler: async ({ operator, query }) => s.records.list(operator, query),
    }),
    operatorRoute(auth, {
      method: 'get',
      path: '/platform/management/chargeOrder/payState',
      tag: '004 充电记录管理',
      summary: '查询充电记录账单的支付状态（扩展）',
      description:
        'payState：none 尚无账单、unpaid、paying、paid、closed、refunding、refunded、partially_refunded；金额单位为分。',
      query: recordIdQuery,
      response: z.object({
        recordId: z.string(),
        payState: z.string(),
        billId: z.string().nullable(),
        amountFen: z.number().nullable(),
        refundedFen: z.number().nullable(),
        paidAt: z.string().nullable(),
      }),
      successMessage: OK,
      errors: { 404: '充电记录不存在' },
      handler: async ({ operator, query }) => s.records.payState(operator, query.recordId),
    }),
  ];
}
