import type { PrpBaseInfos, PrpOrganizationInfos } from '@wattdesk/shared';
import { invalid, type AppError } from '../../core/errors';
import { itemKeyOf } from './repository';

/**
 * The rules of 5.2 a schema cannot check alone: codes from the platform's lists, meters of the caller's
 * organization, references between process, process units and items, duplicate items. Answers the
 * first problem as a 400 naming its field (`collectItemConfig.2.Energy_Code`), or null.
 */
export function organizationProblem(
  infos: PrpOrganizationInfos,
  lists: PrpBaseInfos,
  ownMeters: ReadonlySet<number>,
): AppError | null {
  const energy = new Set(lists.collectItem.map((c) => c.code));
  const usage = new Set(lists.collectItemUsage.map((c) => c.code));
  const systems = new Set(lists.collectSystemType.map((c) => c.code));
  const processes = new Set<string>();
  for (const [i, p] of infos.process.entries()) {
    if (processes.has(p.processCode))
      return invalid(`process.${i}.processCode`, `生产工序 ${p.processCode} 重复`);
    processes.add(p.processCode);
  }
  const units = new Set<string>();
  for (const [i, u] of infos.processUnit.entries()) {
    if (!processes.has(u.processCode))
      return invalid(`processUnit.${i}.processCode`, `生产工序 ${u.processCode} 不在 process 中`);
    const key = `${u.processCode}|${u.code}`;
    if (units.has(key)) return invalid(`processUnit.${i}.code`, `工序单元 ${u.code} 重复`);
    units.add(key);
  }
  const seen = new Map<string, number>();
  for (const [i, c] of infos.collectItemConfig.entries()) {
    const at = (f: string) => `collectItemConfig.${i}.${f}`;
    if (!ownMeters.has(c.Meter_id)) return invalid(at('Meter_id'), `仪表 ${c.Meter_id} 不存在`);
    if (!energy.has(c.Energy_Code))
      return invalid(at('Energy_Code'), `能源编码 ${c.Energy_Code} 不在省平台基础数据中`);
    if (!usage.has(c.dataUsageCode))
      return invalid(at('dataUsageCode'), `用途编码 ${c.dataUsageCode} 不在省平台基础数据中`);
    if (!systems.has(c.inputType))
      return invalid(at('inputType'), `数据采集来源 ${c.inputType} 不在省平台基础数据中`);
    if (c.processCode !== '00' && !processes.has(c.processCode))
      return invalid(at('processCode'), `生产工序 ${c.processCode} 不在 process 中`);
    if (c.processUnitCode !== '00' && !units.has(`${c.processCode}|${c.processUnitCode}`))
      return invalid(at('processUnitCode'), `工序单元 ${c.processUnitCode} 不在 processUnit 中`);
    if (c.scope >= 2 && c.processCode === '00')
      return invalid(at('processCode'), 'scope 为生产工序、工序单元或重点耗能设备时必须填写 processCode');
    if (c.scope >= 3 && c.processUnitCode === '00')
      return invalid(at('processUnitCode'), 'scope 为工序单元或重点耗能设备时必须填写 processUnitCode');
    if (c.scope === 4 && c.equipmentCode === '00')
      return invalid(at('equipmentCode'), 'scope 为重点耗能设备时必须填写 equipmentCode');
    const key = itemKeyOf(c);
    const dup = seen.get(key);
    if (dup !== undefined)
      return invalid(at('Meter_id'), `与第 ${dup + 1} 项是同一采集数据项（仪表、编码与采集频率都相同）`);
    seen.set(key, i);
  }
  return null;
}
