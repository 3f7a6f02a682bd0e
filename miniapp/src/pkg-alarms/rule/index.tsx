import { useEffect, useState } from 'react';
import { View, Input, Picker, Text } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { alarmRuleCreateBody } from '@wattdesk/shared';
import type { z } from 'zod';
import { deleteRule, saveRule } from '../../api/alarms';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { paramLabel, typeName, unitOf } from '../../domain/alarms';
import { checkRule, isClean, type RuleDraft } from '../../domain/alarm-forms';
import { FormField } from '../components/FormField';
import { FormButtons, TextField } from '../components/FormControls';
import { useSave } from '../components/useSave';
import { loadRuleForm, paramsOf } from './load';

const blank = (alarmId?: number, meterId?: number): RuleDraft => ({
  Rule_Name: '',
  Alarm_id: alarmId,
  Meter_id: meterId,
  Meter_Parameter: '',
  LowerLimit: '',
  UpperLimit: '',
  Delay_Seconds: '',
  Deadband: '',
  Realarm_Minutes: '',
});

const optionalNumber = (v: string) => (v.trim() ? Number(v.trim()) : undefined);

/** Admins: create or edit an alarm rule (6.6 / 6.7), checked before sending, or delete it (6.8). */
export default function AlarmRulePage() {
  const params = useRouter().params;
  const id = Number(params.id ?? 0) || undefined;
  const data = useRemote(() => loadRuleForm(id), `rule-form:${id ?? 'new'}`, { pullToRefresh: false });
  const [draft, setDraft] = useState<RuleDraft>(() =>
    blank(Number(params.alarmId ?? 0) || undefined, Number(params.meterId ?? 0) || undefined),
  );
  const [device, setDevice] = useState('');
  const save = useSave(draft);
  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    save.setErrors((e) => ({ ...e, [k]: undefined }));
  };

  useEffect(() => {
    const r = data.data?.rule;
    if (!r) return;
    setDraft({
      Rule_Name: r.Rule_Name,
      Alarm_id: r.Alarm_id,
      Meter_id: r.Meter_id || undefined,
      Meter_Parameter: r.Meter_Parameter,
      LowerLimit: String(r.LowerLimit),
      UpperLimit: String(r.UpperLimit),
      Delay_Seconds: r.Delay_Seconds ? String(r.Delay_Seconds) : '',
      // The default (1 % of the band) stays unset, so it follows the limits when they change.
      Deadband: Math.abs(r.Deadband - (r.UpperLimit - r.LowerLimit) / 100) < 1e-9 ? '' : String(r.Deadband),
      Realarm_Minutes: r.Realarm_Minutes ? String(r.Realarm_Minutes) : '',
    });
    setDevice(r.Device_Uid);
  }, [data.data]);

  const d = data.data;
  const definition = d?.definitions.find((x) => x.id === draft.Alarm_id);
  const type = definition?.Alarm_Type;
  const meter = d?.meters.find((m) => m.id === draft.Meter_id);
  const points = paramsOf(meter);
  const unit = type ? unitOf(type, draft.Meter_Parameter) : '';
  const missing = !!id && !!d && !d.rule;

  const submit = () => {
    const errors = checkRule(draft, type, points);
    save.setErrors(errors);
    if (!isClean(errors) || !draft.Alarm_id) return;
    const body: z.input<typeof alarmRuleCreateBody> = {
      Rule_Name: draft.Rule_Name.trim(),
      Alarm_id: draft.Alarm_id,
      LowerLimit: Number(draft.LowerLimit),
      UpperLimit: Number(draft.UpperLimit),
      ...(type !== 3 && draft.Meter_id ? { Meter_id: draft.Meter_id } : {}),
      ...(type === 2 ? { Meter_Parameter: draft.Meter_Parameter.trim() } : {}),
      ...(type === 3 && device ? { Device_Uid: device } : {}),
      Delay_Seconds: optionalNumber(draft.Delay_Seconds),
      Deadband: optionalNumber(draft.Deadband),
      Realarm_Minutes: optionalNumber(draft.Realarm_Minutes),
    };
    void save.send(() => saveRule(body, id), '已保存');
  };

  const remove = async () => {
    if (!id || !(await save.confirmDelete('该规则'))) return;
    await save.send(() => deleteRule(id), '已删除');
  };

  const e = save.errors;
  const definitions = d?.definitions ?? [];
  const meters = d?.meters ?? [];
  const devices = d?.devices ?? [];
  return (
    <View className="page">
      <StateView
        loading={data.loading}
        error={data.error ?? (missing ? '该规则不存在或已被删除' : undefined)}
        onRetry={() => void data.reload()}
      >
        {d && !missing && (
          <View className="card" data-testid="rule-form">
            <TextField
              label="规则名称"
              name="Rule_Name"
              value={draft.Rule_Name}
              onChange={(v) => set('Rule_Name', v)}
              error={e.Rule_Name}
              placeholder="例如：进线功率因数"
              maxlength={64}
            />
            <FormField
              label="告警定义"
              name="Alarm_id"
              error={e.Alarm_id}
              hint={definitions.length ? undefined : '还没有告警定义：请先在“告警设置”里新建'}
            >
              <Picker
                mode="selector"
                range={definitions.map((x) => `${x.Alarm_Name}（${typeName(x.Alarm_Type)}）`)}
                value={Math.max(
                  0,
                  definitions.findIndex((x) => x.id === draft.Alarm_id),
                )}
                onChange={(ev) => set('Alarm_id', definitions[Number(ev.detail.value)]?.id)}
                data-testid="pick-Alarm_id"
              >
                <View className="field-input">
                  {definition ? `${definition.Alarm_Name}（${typeName(definition.Alarm_Type)}）` : '请选择 ›'}
                </View>
              </Picker>
            </FormField>
            {type !== 3 && (
              <FormField label="仪表" name="Meter_id" error={e.Meter_id}>
                <Picker
                  mode="selector"
                  range={meters.map(
                    (m) => `${m.Meter_Superior ? `${m.Meter_Superior} · ` : ''}${m.Meter_Name}`,
                  )}
                  value={Math.max(
                    0,
                    meters.findIndex((m) => m.id === draft.Meter_id),
                  )}
                  onChange={(ev) => {
                    set('Meter_id', meters[Number(ev.detail.value)]?.id);
                    set('Meter_Parameter', '');
                  }}
                  data-testid="pick-Meter_id"
                >
                  <View className="field-input">{meter ? meter.Meter_Name : '请选择 ›'}</View>
                </Picker>
              </FormField>
            )}
            {type === 2 && (
              <FormField label="测点" name="Meter_Parameter" error={e.Meter_Parameter}>
                {points.length ? (
                  <Picker
                    mode="selector"
                    range={points.map(paramLabel)}
                    value={Math.max(0, points.indexOf(draft.Meter_Parameter))}
                    onChange={(ev) => set('Meter_Parameter', points[Number(ev.detail.value)] ?? '')}
                    data-testid="pick-Meter_Parameter"
                  >
                    <View className="field-input">
                      {draft.Meter_Parameter ? paramLabel(draft.Meter_Parameter) : '请选择 ›'}
                    </View>
                  </Picker>
                ) : (
                  <Input
                    className="field-input"
                    value={draft.Meter_Parameter}
                    placeholder="测点名，例如 PF、UA"
                    onInput={(ev) => set('Meter_Parameter', ev.detail.value)}
                  />
                )}
              </FormField>
            )}
            {type === 3 && (
              <FormField label="设备" name="Device_Uid">
                <Picker
                  mode="selector"
                  range={['全部储能设备', ...devices.map((x) => `${x.name}（${x.device_uid}）`)]}
                  value={Math.max(0, devices.findIndex((x) => x.device_uid === device) + 1)}
                  onChange={(ev) => setDevice(devices[Number(ev.detail.value) - 1]?.device_uid ?? '')}
                  data-testid="pick-Device_Uid"
                >
                  <View className="field-input">
                    {devices.find((x) => x.device_uid === device)?.name ?? (device || '全部储能设备')}
                  </View>
                </Picker>
              </FormField>
            )}
            <TextField
              label={`下限${unit ? `（${unit}）` : ''}`}
              name="LowerLimit"
              value={draft.LowerLimit}
              onChange={(v) => set('LowerLimit', v)}
              error={e.LowerLimit}
              placeholder="低于下限告警"
            />
            <TextField
              label={`上限${unit ? `（${unit}）` : ''}`}
              name="UpperLimit"
              value={draft.UpperLimit}
              onChange={(v) => set('UpperLimit', v)}
              error={e.UpperLimit}
              hint={type === 3 ? '设备报警数超过上限即告警，通常下限、上限都填 0' : undefined}
              placeholder="高于上限告警"
            />
            <TextField
              label="持续多少秒才告警（选填）"
              name="Delay_Seconds"
              value={draft.Delay_Seconds}
              onChange={(v) => set('Delay_Seconds', v)}
              error={e.Delay_Seconds}
              hint="短暂越限不告警；留空为立即告警"
              placeholder="0"
              keyboard="number"
            />
            <TextField
              label={`恢复回差${unit ? `（${unit}）` : ''}（选填）`}
              name="Deadband"
              value={draft.Deadband}
              onChange={(v) => set('Deadband', v)}
              error={e.Deadband}
              hint="回到范围内超过这个量才算恢复；留空为范围宽度的 1%"
              placeholder="默认"
              keyboard="digit"
            />
            <TextField
              label="未恢复时每隔多少分钟再提醒（选填）"
              name="Realarm_Minutes"
              value={draft.Realarm_Minutes}
              onChange={(v) => set('Realarm_Minutes', v)}
              error={e.Realarm_Minutes}
              placeholder="不重复提醒请留空"
              keyboard="number"
            />
            <FormButtons
              general={save.general}
              busy={save.busy}
              onSave={submit}
              onDelete={id ? () => void remove() : undefined}
            />
            {!definitions.length && <Text className="muted">没有告警定义时无法保存规则</Text>}
          </View>
        )}
      </StateView>
    </View>
  );
}
