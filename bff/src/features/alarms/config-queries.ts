import type { AlarmDefinitionItem, AlarmRuleItem } from '@wattdesk/shared';
import type { AlarmConfigRepository } from './config-repository';
import { presentDefinition, presentRule } from './present';
import type { AlarmRepository } from './repository';
import type { AlarmSources } from './sources';

/** 6.1 and 6.5 as the API shows them (names of meters, the deadband in force, chattering flags). */
export class AlarmConfigQueries {
  constructor(
    private readonly repo: AlarmConfigRepository,
    private readonly alarms: AlarmRepository,
    private readonly sources: AlarmSources,
  ) {}

  async definitions(
    orgId: number,
    q: { id?: number; Alarm_Type?: number },
    limit: number,
    offset: number,
  ): Promise<{ items: AlarmDefinitionItem[]; total: number }> {
    const { rows, total } = await this.repo.listDefinitions(
      orgId,
      { id: q.id, type: q.Alarm_Type },
      limit,
      offset,
    );
    return { items: rows.map(presentDefinition), total };
  }

  async rules(
    orgId: number,
    q: { id?: number; Alarm_id?: number; Meter_id?: number },
    limit: number,
    offset: number,
  ): Promise<{ items: AlarmRuleItem[]; total: number }> {
    const { rows, total } = await this.repo.listRules(
      orgId,
      { id: q.id, definitionId: q.Alarm_id, meterId: q.Meter_id },
      limit,
      offset,
    );
    const meters = await this.sources.meters(
      orgId,
      rows.flatMap((r) => (r.meterId ? [r.meterId] : [])),
    );
    const points = await this.alarms.points(rows.map((r) => ({ ruleId: r.id, source: '' })));
    const chattering = new Set([...points.values()].filter((p) => p.state.chattering).map((p) => p.ruleId));
    const items = rows.map((r) =>
      presentRule(r, r.meterId ? (meters.get(r.meterId)?.name ?? '') : r.deviceUid, chattering.has(r.id)),
    );
    return { items, total };
  }
}
