import type { AlarmDefinitionItem, AlarmRuleItem, DeviceItem, MeterItem } from '@wattdesk/shared';
import { fetchDefinitions, fetchMeters, fetchRules } from '../../api/alarms';
import { fetchDevices } from '../../api/devices';

/** What the rule form chooses from, and the rule being edited (null when new or not found). */
export interface RuleFormData {
  definitions: AlarmDefinitionItem[];
  meters: MeterItem[];
  devices: DeviceItem[];
  rule: AlarmRuleItem | null;
}

/** Reads the choices and the rule together; the device list is optional (only device rules use it). */
export async function loadRuleForm(id?: number): Promise<RuleFormData> {
  const [definitions, meters, devices, rules] = await Promise.all([
    fetchDefinitions(),
    fetchMeters(),
    fetchDevices().catch(() => [] as DeviceItem[]),
    id ? fetchRules({ id }) : Promise.resolve([] as AlarmRuleItem[]),
  ]);
  return { definitions, meters, devices, rule: rules.find((r) => r.id === id) ?? null };
}

/** The measure points a meter reports (002 `Meter_Parameter`, "UA,UB,PF"). */
export function paramsOf(meter: MeterItem | undefined): string[] {
  return (meter?.Meter_Parameter ?? '')
    .split(/[,，]/)
    .map((p) => p.trim())
    .filter(Boolean);
}
