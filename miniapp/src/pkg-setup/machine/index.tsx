import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { createMachine, fetchMachines } from '../../api/setup';
import { errorsFrom, noErrors, type FormErrors } from '../../api/form-errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { Field, TextField } from '../../components/Field';
import { Input } from '@tarojs/components';
import { go } from '../../routes';

const FIELDS = ['Meter_Superior', 'Meter_Department', 'equipmentCode', 'equipmentUnitCode'] as const;

/** 2.6: a machine in a department; picking an existing department or naming a new one. */
export default function MachineSetupPage() {
  const machines = useRemote(fetchMachines, 'machines', { pullToRefresh: false });
  const departments = [...new Set((machines.data ?? []).map((m) => m.Meter_Department))].sort();
  const [name, setName] = useState('');
  const [department, setDepartment] = useState('');
  const [code, setCode] = useState('');
  const [unitCode, setUnitCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string>();

  const submit = async () => {
    if (busy) return;
    const fields: Record<string, string> = {};
    if (!name.trim()) fields.Meter_Superior = '请填写机器名称';
    else if (name.trim().length > 64) fields.Meter_Superior = '机器名称最多 64 个字符';
    if (!department.trim()) fields.Meter_Department = '请选择或填写部门';
    else if (department.trim().length > 64) fields.Meter_Department = '部门名称最多 64 个字符';
    setErrors({ fields });
    if (Object.keys(fields).length) return;
    setBusy(true);
    setAdded(undefined);
    try {
      await createMachine({
        Meter_Superior: name.trim(),
        Meter_Department: department.trim(),
        equipmentCode: code.trim(),
        equipmentUnitCode: unitCode.trim(),
      });
      setAdded(`已添加机器“${name.trim()}”（${department.trim()}）`);
      setName('');
      setCode('');
      setUnitCode('');
      void machines.reload();
    } catch (err) {
      setErrors(errorsFrom(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <View className="card">
        <TextField
          label="机器名称"
          required
          hint="例如 空压机 1#，最多 64 个字符"
          value={name}
          error={errors.fields.Meter_Superior}
          testId="machine-name"
          onChange={setName}
        />
        <Field
          label="所属部门"
          required
          hint="选一个已有部门，或填写新部门的名称"
          error={errors.fields.Meter_Department}
          testId="machine-department"
        >
          {departments.length > 0 && (
            <View className="chips">
              {departments.map((d) => (
                <Text
                  key={d}
                  className={`chip${d === department ? ' chip-on' : ''}`}
                  onClick={() => setDepartment(d)}
                >
                  {d}
                </Text>
              ))}
            </View>
          )}
          <Input
            className="field-input"
            value={department}
            placeholder="新部门名称，例如 动力车间"
            onInput={(e) => setDepartment(e.detail.value)}
          />
        </Field>
        <TextField
          label="设备编码"
          hint="选填，上报省平台时使用，最多 32 个字符"
          value={code}
          error={errors.fields.equipmentCode}
          onChange={setCode}
        />
        <TextField
          label="设备单元编码"
          hint="选填，最多 32 个字符"
          value={unitCode}
          error={errors.fields.equipmentUnitCode}
          onChange={setUnitCode}
        />
        {errors.form && <View className="field-error">{errors.form}</View>}
        {added && (
          <View className="card notice-ok" data-testid="machine-added">
            {added}
          </View>
        )}
        <View className="actions">
          <Button type="primary" loading={busy} disabled={busy} onClick={() => void submit()}>
            添加机器
          </Button>
          <Button onClick={() => go('setupMeter')}>下一步：添加仪表</Button>
        </View>
      </View>
      <View className="group-title">已有机器</View>
      <StateView
        loading={machines.loading}
        error={machines.error}
        empty={machines.data !== undefined && machines.data.length === 0}
        emptyText="还没有机器"
        onRetry={() => void machines.reload()}
      >
        <View className="card">
          {(machines.data ?? []).map((m) => (
            <View className="row" key={m.id}>
              <Text>{m.Meter_Superior}</Text>
              <Text className="muted">{m.Meter_Department}</Text>
            </View>
          ))}
        </View>
      </StateView>
    </View>
  );
}
