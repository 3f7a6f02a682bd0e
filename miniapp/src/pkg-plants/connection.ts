import { PV_REGIONS, type PvConnectionItem } from '@wattdesk/shared';
import { MISSING } from '../domain/format';

/** iSolarCloud's regions (cloudId and name), in the order they are offered. */
export const REGIONS = Object.entries(PV_REGIONS).map(([value, label]) => ({ value: Number(value), label }));

const MODES = { oauth: '授权登录', legacy: '账号密码登录' } as const;

/** The label/value rows of a connection, in Chinese, for the rows that have a value. */
export function connectionLines(c: PvConnectionItem): [string, string][] {
  if (!c.Connected) return [];
  const rows: [string, string | null][] = [
    ['区域', c.Region_Name],
    ['方式', c.Auth_Mode ? MODES[c.Auth_Mode] : null],
    ['账号', c.Account],
    ['电站', `${c.Plant_Count} 座`],
    ['上次同步', c.Last_Sync_At ? c.Last_Sync_At.slice(0, 16) : '尚未同步'],
    ['本小时调用', `${c.Quota_Used} / ${c.Quota_Limit} 次`],
  ];
  return rows.map(([k, v]) => [k, v ?? MISSING] as [string, string]).filter(([, v]) => v !== MISSING);
}
