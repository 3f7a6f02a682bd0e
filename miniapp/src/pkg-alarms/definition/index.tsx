import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { deleteDefinition, fetchDefinitions, saveDefinition } from '../../api/alarms';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { alarmLevels, alarmNotifies, alarmTypes, type AlarmNotify } from '../../domain/alarms';
import { checkDefinition, isClean, type DefinitionDraft } from '../../domain/alarm-forms';
import { ChoiceField, FormButtons, TextField } from '../components/FormControls';
import { useSave } from '../components/useSave';

const blank: DefinitionDraft = {
  Alarm_Name: '',
  Alarm_Type: 2,
  Alarm_Level: 2,
  Alarm_Notify: 4,
  Notify_Address: '',
  Escalate_Minutes: '',
  Escalate_To: '',
};

/** Admins: create or edit an alarm definition (6.2 / 6.3), or delete it (6.4). */
export default function AlarmDefinitionPage() {
  const id = Number(useRouter().params.id ?? 0) || undefined;
  const existing = useRemote(
    async () => (id ? ((await fetchDefinitions()).find((d) => d.id === id) ?? null) : null),
    `definition:${id ?? 'new'}`,
    { pullToRefresh: false },
  );
  const [draft, setDraft] = useState<DefinitionDraft>(blank);
  const save = useSave(draft);
  const set = <K extends keyof DefinitionDraft>(k: K, v: DefinitionDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    save.setErrors((e) => ({ ...e, [k]: undefined }));
  };

  useEffect(() => {
    const d = existing.data;
    if (d)
      setDraft({
        Alarm_Name: d.Alarm_Name,
        Alarm_Type: d.Alarm_Type,
        Alarm_Level: d.Alarm_Level,
        Alarm_Notify: d.Alarm_Notify,
        Notify_Address: d.Notify_Address,
        Escalate_Minutes: d.Escalate_Minutes ? String(d.Escalate_Minutes) : '',
        Escalate_To: d.Escalate_To,
      });
  }, [existing.data]);

  const submit = () => {
    const errors = checkDefinition(draft);
    save.setErrors(errors);
    if (!isClean(errors)) return;
    const minutes = draft.Escalate_Minutes.trim();
    void save.send(
      () =>
        saveDefinition(
          {
            Alarm_Name: draft.Alarm_Name.trim(),
            Alarm_Type: draft.Alarm_Type,
            Alarm_Level: draft.Alarm_Level,
            Alarm_Notify: draft.Alarm_Notify,
            Notify_Address: draft.Notify_Address.trim(),
            ...(minutes ? { Escalate_Minutes: Number(minutes) } : {}),
            ...(draft.Escalate_To.trim() ? { Escalate_To: draft.Escalate_To.trim() } : {}),
          },
          id,
        ),
      '已保存',
    );
  };

  const remove = async () => {
    if (!id || !(await save.confirmDelete('该告警定义'))) return;
    await save.send(() => deleteDefinition(id), '已删除');
  };

  const e = save.errors;
  const missing = !!id && existing.data === null;
  return (
    <View className="page">
      <StateView
        loading={!!id && existing.loading}
        error={existing.error ?? (missing ? '该告警定义不存在或已被删除' : undefined)}
        onRetry={() => void existing.reload()}
      >
        {(!id || existing.data) && (
          <View className="card" data-testid="definition-form">
            <TextField
              label="告警名称"
              name="Alarm_Name"
              value={draft.Alarm_Name}
              onChange={(v) => set('Alarm_Name', v)}
              error={e.Alarm_Name}
              placeholder="例如：功率因数过低"
              maxlength={64}
            />
            <ChoiceField
              label="告警类型"
              name="Alarm_Type"
              codes={alarmTypes}
              value={draft.Alarm_Type}
              onChange={(v) => set('Alarm_Type', v)}
              error={e.Alarm_Type}
            />
            <ChoiceField
              label="告警级别"
              name="Alarm_Level"
              codes={alarmLevels}
              value={draft.Alarm_Level}
              onChange={(v) => set('Alarm_Level', v)}
              error={e.Alarm_Level}
            />
            <ChoiceField
              label="通知方式"
              name="Alarm_Notify"
              codes={alarmNotifies}
              value={draft.Alarm_Notify}
              onChange={(v) => set('Alarm_Notify', v)}
              error={e.Alarm_Notify}
            />
            <TextField
              label="通知地址"
              name="Notify_Address"
              value={draft.Notify_Address}
              onChange={(v) => set('Notify_Address', v)}
              error={e.Notify_Address}
              hint={alarmNotifies[draft.Alarm_Notify as AlarmNotify]?.address}
              placeholder="通知谁"
              maxlength={1000}
            />
            <TextField
              label="无人确认时升级（分钟，选填）"
              name="Escalate_Minutes"
              value={draft.Escalate_Minutes}
              onChange={(v) => set('Escalate_Minutes', v)}
              error={e.Escalate_Minutes}
              hint="超过这么久无人确认，通知下面的用户，并每隔同样时间再提醒，直到确认或恢复"
              placeholder="不升级请留空"
              keyboard="number"
            />
            <TextField
              label="升级通知的用户（选填）"
              name="Escalate_To"
              value={draft.Escalate_To}
              onChange={(v) => set('Escalate_To', v)}
              error={e.Escalate_To}
              placeholder="用户名，多个用逗号分隔"
              maxlength={1000}
            />
            <FormButtons
              general={save.general}
              busy={save.busy}
              onSave={submit}
              onDelete={id ? () => void remove() : undefined}
            />
          </View>
        )}
      </StateView>
    </View>
  );
}
