import { manualDataBody, readingsBody, readingsResult } from '@wattdesk/shared';
import { route } from '../../core/http/route';
import { formatLocal } from '../../core/time';
import { MeteringPermissions } from '../meters/permissions';

/** Readings ingest over HTTP (extension) and 5.6 hand-filled data. */
export const readingRoutes = [
  route({
    method: 'post',
    path: '/api_3/readings',
    envelope: '002',
    tag: '2 仪表读数（扩展）',
    summary: '上传一批仪表读数（与 MQTT wd/{uid}/readings 同一格式、同一服务）',
    description:
      'readings[]: `{"meter": 仪表id, "ts": Unix毫秒, "total": 累计读数, "params": {"UA": 229.8, ...}}`。' +
      '同一 (meter, ts) 重复上传不会重复计量；迟到或更正的读数会修正所有已算出的用量。' +
      '应答在数据已提交（持久化）之后返回：Accepted 为保存的条数，Errors 按位置（index）列出被拒绝的读数及原因，其余读数照常保存。',
    access: { permission: MeteringPermissions.readingsWrite },
    body: readingsBody,
    response: readingsResult,
    handler: async ({ deps, actor, body }) => {
      const r = await deps.ingest.ingest(actor.orgId, body.readings, 'http');
      return { Accepted: r.accepted, Rejected: r.rejected, Errors: r.errors };
    },
  }),
  route({
    method: 'post',
    path: '/api_3/PRP_manual_energy_measure_datas',
    envelope: '002',
    tag: '5 省平台',
    summary: '5.6 添加填报数据（手工填报仪表某天/某月的用量）',
    description:
      'Date_Type 3 = Date_Time 所在的（自定义）天，2 = 所在的（自定义）月；同一时段再次填报会替换之前的数值。' +
      '仪表必须是手工填报仪表（Is_HandWork 为 1）。填报量计入所有能耗查询。',
    access: { permission: MeteringPermissions.readingsWrite },
    body: manualDataBody,
    handler: async ({ deps, actor, body }) => {
      const { periodStart } = await deps.manualData.record(actor.orgId, {
        meterId: body.Meter_id,
        dateTime: body.Date_Time,
        dateType: body.Date_Type,
        amount: body.Data_Amount,
      });
      const tz = (await deps.calendar.rule(actor.orgId)).tz;
      return { Meter_id: body.Meter_id, Period_Start: formatLocal(new Date(periodStart), tz) };
    },
  }),
];
