import { z } from 'zod';
import { CELL_STATUSES, intLike } from '@wattdesk/shared';

/**
 * Request bodies of the seed 004 operator API (camelCase). Only 提交一个充电口信息 is given in full in the
 * seed; stations and equipment take the fields of T/CEC 102 StationInfo / EquipmentInfo, real-time data
 * those of ConnectorStatusInfo / query_equip_charge_status, records those of ChargeOrderInfo.
 */

const text = (name: string, max: number) =>
  z
    .string({ error: `${name} 必须是字符串` })
    .trim()
    .min(1, `${name} 不能为空`)
    .max(max, `${name} 最多 ${max} 个字符`);
const optText = (name: string, max: number) =>
  z
    .string({ error: `${name} 必须是字符串` })
    .trim()
    .max(max, `${name} 最多 ${max} 个字符`)
    .optional();
/** An operator's own id: unique per operator. */
export const opId = (name: string) =>
  text(name, 64).regex(/^[A-Za-z0-9_.:-]+$/, `${name} 只能包含字母、数字和 _ . : -`);
const oneOf = (name: string, values: readonly number[], what: string) =>
  z
    .number({ error: `${name} 必须是整数` })
    .int(`${name} 必须是整数`)
    .refine((n) => values.includes(n), `${name} 只能是 ${what}`);
/** A measured value ≥ 0 (finite, no more than 1e9). */
const amount = (name: string, max = 1e9) =>
  z
    .number({ error: `${name} 必须是数字` })
    .finite(`${name} 必须是有限数`)
    .min(0, `${name} 不能为负数`)
    .max(max, `${name} 不能大于 ${max}`);
const coord = (name: string, limit: number) =>
  z
    .number({ error: `${name} 必须是数字` })
    .min(-limit, `${name} 超出范围`)
    .max(limit, `${name} 超出范围`);
/** `yyyy-MM-dd HH:mm:ss`, optionally with milliseconds, in the site's time zone. */
export const opTime = (name: string) =>
  z
    .string({ error: `${name} 必须是字符串` })
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/, `${name} 格式必须为 yyyy-MM-dd HH:mm:ss`);

// --- stations, equipment, cells -------------------------------------------------------------------

export const stationBody = z.strictObject({
  stationId: opId('stationId'),
  operatorId: opId('operatorId'),
  equipmentOwnerId: optText('equipmentOwnerId', 64),
  stationName: text('stationName', 100),
  countryCode: optText('countryCode', 2),
  areaCode: z
    .string()
    .regex(/^\d{6}$/, 'areaCode 必须是 6 位行政区划代码')
    .optional(),
  address: text('address', 200),
  stationTel: optText('stationTel', 30),
  serviceTel: text('serviceTel', 30),
  /** 1 公共, 50 个人, 100 公交（专用）, 101 环卫（专用）, 102 物流（专用）, 103 出租车（专用）, 255 其他 */
  stationType: oneOf('stationType', [1, 50, 100, 101, 102, 103, 255], '1、50、100、101、102、103 或 255'),
  /** 0 未知, 1 建设中, 5 关闭下线, 6 维护中, 50 正常使用 */
  stationStatus: oneOf('stationStatus', [0, 1, 5, 6, 50], '0、1、5、6 或 50'),
  parkNums: z.number().int('parkNums 必须是整数').min(0, 'parkNums 不能为负数').max(100000).optional(),
  stationLng: coord('stationLng', 180),
  stationLat: coord('stationLat', 90),
  siteGuide: optText('siteGuide', 200),
  /** 1 居民区 … 11 城际高速服务区, 255 其他 */
  construction: oneOf('construction', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255], '1–11 或 255'),
  businessHours: optText('businessHours', 100),
  electricityFee: optText('electricityFee', 256),
  serviceFee: optText('serviceFee', 256),
  parkFee: optText('parkFee', 256),
  payment: optText('payment', 64),
  remark: optText('remark', 200),
});
export type StationBody = z.infer<typeof stationBody>;

export const equipmentBody = z.strictObject({
  equipmentId: opId('equipmentId'),
  stationId: opId('stationId'),
  operatorId: opId('operatorId'),
  equipmentName: optText('equipmentName', 64),
  manufacturerId: optText('manufacturerId', 9),
  manufacturerName: optText('manufacturerName', 30),
  equipmentModel: optText('equipmentModel', 20),
  productionDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'productionDate 格式必须为 yyyy-MM-dd')
    .optional(),
  /** 1 直流设备, 2 交流设备, 3 交直流一体设备, 4 无线设备, 5 其他 */
  equipmentType: oneOf('equipmentType', [1, 2, 3, 4, 5], '1、2、3、4 或 5'),
  equipmentLng: coord('equipmentLng', 180).optional(),
  equipmentLat: coord('equipmentLat', 90).optional(),
  /** kW */
  power: amount('power', 10000),
});
export type EquipmentBody = z.infer<typeof equipmentBody>;

const flag123 = (name: string) => oneOf(name, [1, 2, 3], '1（是）、2（否）或 3（未知）');
/** 提交一个充电口信息: exactly the seed's fields. */
export const cellBody = z
  .strictObject({
    cellId: opId('cellId'),
    equipmentId: opId('equipmentId'),
    operatorId: opId('operatorId'),
    cellType: oneOf('cellType', [1, 2, 3, 4, 5], '1、2、3、4 或 5'),
    cellStandard: text('cellStandard', 64),
    ratedVoltageUpperLimit: amount('ratedVoltageUpperLimit', 2000),
    ratedVoltageLowerLimit: amount('ratedVoltageLowerLimit', 2000),
    ratedCurrent: amount('ratedCurrent', 2000),
    ratedPower: amount('ratedPower', 2000),
    electricityFee: text('electricityFee', 256),
    serviceFee: text('serviceFee', 256),
    fireControl: flag123('fireControl'),
    smokeSensation: flag123('smokeSensation'),
  })
  .refine((c) => c.ratedVoltageLowerLimit <= c.ratedVoltageUpperLimit, {
    path: ['ratedVoltageLowerLimit'],
    message: 'ratedVoltageLowerLimit 不能大于 ratedVoltageUpperLimit',
  });
export type CellBody = z.infer<typeof cellBody>;

const pageNum = intLike('pageNum')
  .pipe(z.number().int().min(1, 'pageNum 从 1 开始').max(1_000_000))
  .optional();
const pageSize = intLike('pageSize').pipe(z.number().int().min(1).max(100, 'pageSize 最大 100')).optional();
export const stationListQuery = z.strictObject({
  pageNum,
  pageSize,
  stationId: opId('stationId').optional(),
});
export const equipmentListQuery = z.strictObject({
  pageNum,
  pageSize,
  stationId: opId('stationId').optional(),
  equipmentId: opId('equipmentId').optional(),
});
export const cellListQuery = z.strictObject({
  pageNum,
  pageSize,
  equipmentId: opId('equipmentId').optional(),
  cellId: opId('cellId').optional(),
});
export const stationIdQuery = z.strictObject({ stationId: opId('stationId') });
export const equipmentIdQuery = z.strictObject({ equipmentId: opId('equipmentId') });
export const cellIdQuery = z.strictObject({ cellId: opId('cellId') });

// --- real-time data -------------------------------------------------------------------------------

/** One cell's real-time report (T/CEC ConnectorStatusInfo + charging-process figures). */
export const cellStatusBody = z.strictObject({
  cellId: opId('cellId'),
  equipmentId: opId('equipmentId').optional(),
  stationId: opId('stationId').optional(),
  status: oneOf('status', CELL_STATUSES, '0、1、2、3、4 或 255'),
  /** When the status was observed (site time); reports older than the kept one are ignored. */
  statusTime: opTime('statusTime'),
  current: amount('current', 2000).nullish(),
  voltage: amount('voltage', 2000).nullish(),
  /** kW */
  power: amount('power', 2000).nullish(),
  soc: amount('soc', 100).nullish(),
  temperature: z.number({ error: 'temperature 必须是数字' }).min(-60).max(300).nullish(),
  /** Running energy of the current session, kWh. */
  totalPower: amount('totalPower', 100000).nullish(),
  /** Start of the current session (site time). */
  startTime: opTime('startTime').nullish(),
});
export type CellStatusBody = z.infer<typeof cellStatusBody>;

/** 上报充电口实时信息列表: items checked one by one, answered by position. */
export const cellStatusListBody = z.strictObject({
  list: z
    .array(z.unknown(), { error: 'list 必须是数组' })
    .min(1, 'list 不能为空')
    .max(500, 'list 最多 500 项'),
});

// --- charging records -----------------------------------------------------------------------------

const detail = z.strictObject({
  detailStartTime: opTime('detailStartTime'),
  detailEndTime: opTime('detailEndTime'),
  elecPrice: amount('elecPrice', 100),
  servicePrice: amount('servicePrice', 100),
  detailPower: amount('detailPower', 100000),
  detailElecMoney: amount('detailElecMoney', 1e7),
  detailServiceMoney: amount('detailServiceMoney', 1e7),
});

/** 提交一个充电记录信息 (T/CEC ChargeOrderInfo). Money in 元, energy in kWh, prices in 元/kWh. */
export const chargeRecordBody = z.strictObject({
  recordId: opId('recordId'),
  operatorId: opId('operatorId').optional(),
  stationId: opId('stationId'),
  equipmentId: opId('equipmentId'),
  cellId: opId('cellId'),
  startTime: opTime('startTime'),
  endTime: opTime('endTime'),
  totalPower: amount('totalPower', 100000),
  elecMoney: amount('elecMoney', 1e7),
  serviceMoney: amount('serviceMoney', 1e7),
  totalMoney: amount('totalMoney', 1e7),
  /** Flat prices, or chargeDetails per price period (one of the two is required). */
  elecPrice: amount('elecPrice', 100).optional(),
  servicePrice: amount('servicePrice', 100).optional(),
  chargeDetails: z.array(detail).min(1).max(48, 'chargeDetails 最多 48 段').optional(),
  /** T/CEC StopReason: 0 用户手动停止, 1 客户归属地运营商平台停止, 2 BMS 停止, 3 充电机设备故障, 4 连接器断开, 5–99 自定义 */
  stopReason: z.number().int().min(0).max(99, 'stopReason 只能是 0–99').optional(),
  startSoc: amount('startSoc', 100).optional(),
  endSoc: amount('endSoc', 100).optional(),
  plateNo: z.string().trim().min(1).max(16, 'plateNo 最多 16 个字符').optional(),
  phone: z
    .string()
    .regex(/^\+?\d{5,20}$/, 'phone 必须是电话号码')
    .optional(),
});
export type ChargeRecordBody = z.infer<typeof chargeRecordBody>;

export const chargeRecordListBody = z.strictObject({
  list: z
    .array(z.unknown(), { error: 'list 必须是数组' })
    .min(1, 'list 不能为空')
    .max(200, 'list 最多 200 项'),
});
export const chargeRecordListQuery = z.strictObject({
  pageNum,
  pageSize,
  recordId: opId('recordId').optional(),
  stationId: opId('stationId').optional(),
  cellId: opId('cellId').optional(),
  startTime: opTime('startTime').optional(),
  endTime: opTime('endTime').optional(),
});
export const recordIdQuery = z.strictObject({ recordId: opId('recordId') });
