import type { DomainEventTypes } from '../../platform/contract';
import '../charging-callbacks/events';
import type { RuleWithDefinition } from './config-repository';
import type { PointRef, Sample } from './engine';

/** The `Device_Uid` of device-alarm (type 3) rules that take charging safety warnings. */
export const CHARGING_DEVICE_UID = 'charging';

type Warning = DomainEventTypes['charging.safety.warning'];

/** A warning as samples of each rule: one point per (operator, connector, kind); 1 raised, 0 cleared. */
export function chargingItems(
  rules: RuleWithDefinition[],
  w: Warning,
): { ref: PointRef; samples: Sample[] }[] {
  const sample: Sample = { ts: w.ts, value: w.state === 'raised' ? 1 : 0 };
  return rules.map((rule) => ({
    ref: {
      rule,
      source: `c:${w.operatorPk}:${w.cellId}:${w.kind}`,
      meterId: null,
      meterName: `充电口 ${w.cellId}`,
      machineId: null,
      machineName: '',
      deviceUid: CHARGING_DEVICE_UID,
      note: w.text,
    },
    samples: [sample],
  }));
}
