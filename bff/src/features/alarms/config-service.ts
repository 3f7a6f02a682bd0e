import type { AlarmDefinitionCreateBody, AlarmRuleCreateBody } from '@wattdesk/shared';
import { AppError, invalid, notFound } from '../../core/errors';
import type { Clock } from '../../infra/clock';
import type { AlarmConfigRepository, NewDefinition, NewRule } from './config-repository';
import { resolveTargets } from './recipients';
import { CHARGING_DEVICE_UID } from './charging-source';
import type { AlarmSources } from './sources';

/** Closes a rule's open alarms (cleared, jobs stopped) when it is removed or now watches another source. */
export type CloseRuleAlarms = (
  orgId: number,
  ruleId: number,
  action: 'rule_removed' | 'rule_changed',
) => Promise<void>;

const definitionValues = (b: AlarmDefinitionCreateBody): NewDefinition => ({
  name: b.Alarm_Name,
  type: b.Alarm_Type,
  level: b.Alarm_Level,
  notify: b.Alarm_Notify,
  notifyAddress: b.Notify_Address,
  escalateMinutes: b.Escalate_Minutes ?? 0,
  escalateTo: b.Escalate_To ?? '',
});

/** Definitions (6.1–6.4) and rules (6.5–6.8): the checks a user expects before anything is stored. */
export class AlarmConfigService {
  constructor(
    private readonly repo: AlarmConfigRepository,
    private readonly sources: AlarmSources,
    private readonly clock: Clock,
    private readonly closeAlarms: CloseRuleAlarms,
  ) {}

  private async checkAddresses(orgId: number, b: AlarmDefinitionCreateBody): Promise<void> {
    const users = await this.sources.users(orgId);
    resolveTargets(b.Notify_Address, b.Alarm_Notify, users, 'Notify_Address');
    if (b.Escalate_To) resolveTargets(b.Escalate_To, 1, users, 'Escalate_To');
    if (b.Alarm_Notify !== 1 && !b.Notify_Address)
      throw invalid('Notify_Address', '短信、邮箱和微信通知需要填写接收人');
    if (b.Escalate_To && !b.Escalate_Minutes)
      throw invalid('Escalate_Minutes', '填写了 Escalate_To 时需要设置升级等待分钟数');
  }

  async createDefinition(orgId: number, b: AlarmDefinitionCreateBody) {
    await this.checkAddresses(orgId, b);
    return this.repo.insertDefinition(orgId, definitionValues(b));
  }

  async updateDefinition(orgId: number, id: number, b: AlarmDefinitionCreateBody): Promise<void> {
    const current = await this.repo.findDefinition(orgId, id);
    if (!current) throw notFound('报警状态');
    await this.checkAddresses(orgId, b);
    if (current.type !== b.Alarm_Type && (await this.repo.ruleCount(orgId, id)) > 0)
      throw invalid('Alarm_Type', '该报警状态下已有规则，不能修改报警类型');
    await this.repo.updateDefinition(orgId, id, definitionValues(b));
  }

  async removeDefinition(orgId: number, id: number): Promise<void> {
    if (!(await this.repo.findDefinition(orgId, id))) throw notFound('报警状态');
    const n = await this.repo.ruleCount(orgId, id);
    if (n > 0) throw new AppError('in_use', `该报警状态下还有 ${n} 条规则，请先删除规则`, { field: 'id' });
    await this.repo.removeDefinition(orgId, id, this.clock.now());
  }

  /** Checks a rule against its definition's type; returns the columns to store. */
  private async ruleValues(orgId: number, b: AlarmRuleCreateBody): Promise<NewRule> {
    const def = await this.repo.findDefinition(orgId, b.Alarm_id);
    if (!def) throw new AppError('not_found', '报警状态不存在', { field: 'Alarm_id' });
    if (b.UpperLimit < b.LowerLimit) throw invalid('UpperLimit', 'UpperLimit 不能小于 LowerLimit');
    const band = b.UpperLimit - b.LowerLimit;
    if (b.Deadband !== undefined && band > 0 && b.Deadband * 2 >= band)
      throw invalid('Deadband', 'Deadband 必须小于上下限差值的一半');
    let meterId: number | null = null;
    let param = '';
    let deviceUid = '';
    if (def.type === 3) {
      if (b.Meter_id !== undefined) throw invalid('Meter_id', '设备故障报警规则按设备判断，不需要 Meter_id');
      if (b.Device_Uid === CHARGING_DEVICE_UID) deviceUid = CHARGING_DEVICE_UID;
      else if (b.Device_Uid) {
        const device = await this.sources.device(orgId, b.Device_Uid);
        if (!device || device.kind !== 'ems')
          throw new AppError('not_found', '设备不存在', { field: 'Device_Uid' });
        deviceUid = device.uid;
      }
    } else {
      if (b.Meter_id === undefined) throw invalid('Meter_id', 'Meter_id 不能为空');
      if (!(await this.sources.meters(orgId, [b.Meter_id])).has(b.Meter_id))
        throw new AppError('not_found', '仪表不存在', { field: 'Meter_id' });
      meterId = b.Meter_id;
      if (b.Device_Uid) throw invalid('Device_Uid', '只有设备故障报警规则可以指定 Device_Uid');
      if (def.type === 2) {
        if (!b.Meter_Parameter) throw invalid('Meter_Parameter', '瞬时参数报警需要填写判断测点');
        param = b.Meter_Parameter;
      }
    }
    return {
      definitionId: def.id,
      name: b.Rule_Name,
      meterId,
      param,
      deviceUid,
      lowerLimit: b.LowerLimit,
      upperLimit: b.UpperLimit,
      delaySeconds: b.Delay_Seconds ?? 0,
      deadband: b.Deadband ?? null,
      realarmMinutes: b.Realarm_Minutes ?? 0,
    };
  }

  async createRule(orgId: number, b: AlarmRuleCreateBody) {
    return this.repo.insertRule(orgId, await this.ruleValues(orgId, b));
  }

  async updateRule(orgId: number, id: number, b: AlarmRuleCreateBody): Promise<void> {
    const current = await this.repo.findRule(orgId, id);
    if (!current) throw notFound('报警规则');
    const next = await this.ruleValues(orgId, b);
    await this.repo.updateRule(orgId, id, next);
    const moved =
      current.meterId !== next.meterId ||
      current.param !== next.param ||
      current.deviceUid !== next.deviceUid ||
      current.definitionId !== next.definitionId;
    if (moved) await this.closeAlarms(orgId, id, 'rule_changed');
  }

  async removeRule(orgId: number, id: number): Promise<void> {
    if (!(await this.repo.findRule(orgId, id))) throw notFound('报警规则');
    await this.repo.removeRule(orgId, id, this.clock.now());
    await this.closeAlarms(orgId, id, 'rule_removed');
  }
}
