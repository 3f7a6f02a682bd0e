import { gatewayDetail, gatewayDetailQuery } from '@wattdesk/shared';
import { route } from '../../core/http/route';
import type { GatewayActivity } from './gateway-activity';

const BASE = '/wad/ems/v1/api';
const TAG = 'EMS 设备登记（扩展）';

/** Extension endpoint in seeds 000/001's style: what a meter gateway has (issue 10 §6). */
export const gatewayRoutes = (activity: GatewayActivity) => [
  route({
    method: 'get',
    path: `${BASE}/gateways/detail`,
    envelope: 'ems',
    tag: TAG,
    summary: '计量网关：上报的电表（各自最新读数）、最近一批读数（条数、接收/拒收）和在线记录',
    description:
      'meters 为该网关上报过且被接收的电表，每个带最新读数的设备时间与累计值；last_batch 为最近一次 `wd/{device_uid}/readings` 批次；online_history 按时间倒序（history_limit 条，默认 20）。时间为 ISO 8601 (UTC)。',
    access: 'session',
    query: gatewayDetailQuery,
    response: gatewayDetail,
    successMessage: '获取网关信息成功',
    errors: {
      400: 'device_uid 不是计量网关，或 history_limit 超出 1–100（100001）',
      404: '设备不存在或不属于本组织（100004）',
    },
    handler: async ({ actor, query }) => activity.detail(actor, query.device_uid, query.history_limit),
  }),
];
