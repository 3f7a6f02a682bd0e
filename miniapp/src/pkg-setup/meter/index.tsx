import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { ENERGY_NAMES } from '@wattdesk/shared';
import { Button } from '../../ui/nutui';
import { createMeter, fetchMachines } from '../../api/setup';
import { fetchMeters } from '../../api/energy';
import { errorsFrom, noErrors, type FormErrors } from '../../api/form-errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { Field, TextField } from '../../components/Field';
import { formulaText, formulaWords, type FormulaTerm } from '../../domain/formula';
import { go } from '../../routes';

const FIELDS = ['Meter_Name', 'Meter_Type', 'Meter_Superior_id', 'Meter_Formula', 'Meter_Remarks'] as const;

function Chips<T extends string | number>(props: {
  options: { value: T; label: string }[];
  value: T | undefined;
  onChange: (v: T) => void;
  testId?: string;
}) {
  return (
    <View className="chips" data-testid={props.testId}>
      {props.options.map((o) => (
        <Text
          key={String(o.value)}
          className={`chip${o.value === props.value ? ' chip-on' : ''}`}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </Text>
      ))}
    </View>
  );
}

/** 2.1: a meter on a machine: energy type, total meter or not, and a virtual meter from a formula picker. */
export default function MeterSetupPage() {
  const data = useRemote(
    async () => ({ machines: await fetchMachines(), meters: await fetchMeters() }),
    'meter-setup',
    { pullToRefresh: false },
  );
  const [name, setName] = useState('');
  const [type, setType] = useState<number>(0);
  const [machine, setMachine] = useState<number>();
  const [isTotal, setIsTotal] = useState<'0' | '1'>('0');
  const [isCount, setIsCount] = useState<'0' | '1'>('1');
  const [virtual, setVirtual] = useState<'0' | '1'>('0');
  const [terms, setTerms] = useState<FormulaTerm[]>([]);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string>();

  const machines = data.data?.machines ?? [];
  const meters = (data.data?.meters ?? []).filter((m) => Number(m.Meter_Type) === type);
  const nameOf = (id: number) => data.data?.meters.find((m) => m.id === id)?.Meter_Name ?? `仪表 ${id}`;

  const submit = async () => {
    if (busy) return;
    const fields: Record<string, string> = {};
    if (!name.trim()) fields.Meter_Name = '请填写仪表名称';
    else if (name.trim().length > 64) fields.Meter_Name = '仪表名称最多 64 个字符';
    if (machine === undefined) fields.Meter_Superior_id = '请选择仪表所在的机器';
    if (virtual === '1' && terms.length < 1) fields.Meter_Formula = '请至少选一块仪表组成公式';
    setErrors({ fields });
    if (Object.keys(fields).length) return;
    setBusy(true);
    setAdded(undefined);
    try {
      await createMeter({
        Meter_Name: name.trim(),
        Meter_Type: type,
        Meter_Superior_id: machine!,
        Meter_IsTotal: isTotal,
        Meter_IsCount: isCount,
        Meter_IsVirtual: virtual,
        Meter_Formula: virtual === '1' ? formulaText(terms) : undefined,
      });
      setAdded(`已添加${ENERGY_NAMES[type]}表“${name.trim()}”`);
      setName('');
      setTerms([]);
      void data.reload();
    } catch (err) {
      setErrors(errorsFrom(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <StateView
        loading={data.loading}
        error={data.error}
        onRetry={() => void data.reload()}
        skeletonRows={6}
      >
        {data.data && machines.length === 0 ? (
          <View className="card empty" data-testid="meter-needs-machine">
            <View className="muted">仪表要挂在一台机器下，请先添加机器。</View>
            <View className="actions">
              <Button type="primary" onClick={() => go('setupMachine')}>
                添加机器
              </Button>
            </View>
          </View>
        ) : (
          <View className="card">
            <TextField
              label="仪表名称"
              required
              hint="例如 空压机 1# 电表，最多 64 个字符"
              value={name}
              error={errors.fields.Meter_Name}
              testId="meter-name"
              onChange={setName}
            />
            <Field label="能源类型" required error={errors.fields.Meter_Type}>
              <Chips
                options={Object.entries(ENERGY_NAMES).map(([v, l]) => ({ value: Number(v), label: l }))}
                value={type}
                onChange={(v) => {
                  setType(v);
                  setTerms([]);
                }}
              />
            </Field>
            <Field label="所在机器" required error={errors.fields.Meter_Superior_id} testId="meter-machine">
              <Chips
                options={machines.map((m) => ({
                  value: m.id,
                  label: `${m.Meter_Superior}（${m.Meter_Department}）`,
                }))}
                value={machine}
                onChange={setMachine}
              />
            </Field>
            <Field label="总表" hint="总表计量全厂（或全部门）用量，首页按总表显示功率与功率因数">
              <Chips
                options={[
                  { value: '0' as const, label: '否' },
                  { value: '1' as const, label: '是，这是总表' },
                ]}
                value={isTotal}
                onChange={setIsTotal}
              />
            </Field>
            <Field label="计入统计" hint="计入统计的仪表才出现在首页和能耗页面的用量与费用中">
              <Chips
                options={[
                  { value: '1' as const, label: '是' },
                  { value: '0' as const, label: '否（仅记录读数）' },
                ]}
                value={isCount}
                onChange={setIsCount}
                testId="meter-count"
              />
            </Field>
            <Field label="类型" hint="虚拟表没有实物，用量由其他仪表按公式计算">
              <Chips
                options={[
                  { value: '0' as const, label: '实体仪表' },
                  { value: '1' as const, label: '虚拟表（公式）' },
                ]}
                value={virtual}
                onChange={setVirtual}
                testId="meter-virtual"
              />
            </Field>
            {virtual === '1' && (
              <Field
                label="公式"
                required
                hint={`点仪表名加入公式（只列出${ENERGY_NAMES[type]}表）`}
                error={errors.fields.Meter_Formula}
                testId="meter-formula"
              >
                <View className="formula" data-testid="formula-words">
                  {terms.length ? `= ${formulaWords(terms, nameOf)}` : '尚未选择仪表'}
                </View>
                {meters.length === 0 ? (
                  <View className="muted">{`还没有${ENERGY_NAMES[type]}表可以组合`}</View>
                ) : (
                  meters.map((m) => (
                    <View className="row" key={m.id}>
                      <Text>{m.Meter_Name}</Text>
                      <View className="device-tags">
                        <Text
                          className="chip"
                          onClick={() => setTerms([...terms, { sign: '+', meterId: m.id }])}
                        >
                          ＋ 加
                        </Text>
                        <Text
                          className="chip"
                          onClick={() => setTerms([...terms, { sign: '-', meterId: m.id }])}
                        >
                          － 减
                        </Text>
                      </View>
                    </View>
                  ))
                )}
                {terms.length > 0 && (
                  <Text className="link" onClick={() => setTerms(terms.slice(0, -1))}>
                    撤销最后一项
                  </Text>
                )}
              </Field>
            )}
            {errors.form && <View className="field-error">{errors.form}</View>}
            {added && (
              <View className="card notice-ok" data-testid="meter-added">
                {added}
              </View>
            )}
            <View className="actions">
              <Button type="primary" loading={busy} disabled={busy} onClick={() => void submit()}>
                添加仪表
              </Button>
              <Button onClick={() => go('setupDevice')}>下一步：登记设备</Button>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
