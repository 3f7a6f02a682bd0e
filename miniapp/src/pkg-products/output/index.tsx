import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Picker } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { Field, TextField } from '../../components/Field';
import { createOutput } from '../../api/products';
import { errorsFrom, noErrors, type FormErrors } from '../../api/form-errors';
import { checkDraft, type OutputDraft as Draft } from '../../domain/products';
import { loadOutputForm } from './load';

const FIELDS = [
  'Product_id',
  'Meter_Superior_id',
  'ProductBatch_id',
  'Total_Amount',
  'Reject_Amount',
  'Time_Start',
  'Time_End',
] as const;
/** Shift supervisors: record an output (8.6) — product, machine, batch, amount; the period is the current shift. */
export default function OutputEntryPage() {
  const form = useRemote(() => loadOutputForm(), 'output-form', { pullToRefresh: false });
  const [draft, setDraft] = useState<Draft>({
    Total_Amount: '',
    Reject_Amount: '',
    Time_Start: '',
    Time_End: '',
  });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setErrors((e) => ({ ...e, fields: { ...e.fields, [k]: '' } }));
  };
  const f = form.data;

  useEffect(() => {
    if (!f) return;
    setDraft((d) => ({
      ...d,
      Time_Start: d.Time_Start || f.shift?.start || '',
      Time_End: d.Time_End || f.shift?.end || '',
      Product_id: d.Product_id ?? (f.products.length === 1 ? f.products[0]!.id : undefined),
      ProductBatch_id: d.ProductBatch_id ?? f.batches[0]?.id,
    }));
  }, [f]);

  const submit = async () => {
    const local = checkDraft(draft);
    if (Object.keys(local).length) {
      setErrors({ fields: local });
      return;
    }
    setSaving(true);
    try {
      await createOutput({
        Product_id: draft.Product_id!,
        Meter_Superior_id: draft.Meter_Superior_id!,
        ProductBatch_id: draft.ProductBatch_id!,
        Total_Amount: draft.Total_Amount.trim(),
        Time_Start: draft.Time_Start,
        Time_End: draft.Time_End,
        ...(draft.Reject_Amount.trim() ? { Reject_Amount: draft.Reject_Amount.trim() } : {}),
      });
      void Taro.showToast({ title: '已录入', icon: 'success' });
      void Taro.navigateBack();
    } catch (err) {
      setErrors(errorsFrom(err, FIELDS));
    } finally {
      setSaving(false);
    }
  };

  const e = errors.fields;
  const unit = f?.products.find((p) => p.id === draft.Product_id)?.Product_Unit || '单位';
  return (
    <View className="page">
      <StateView
        loading={form.loading && !f}
        error={form.error}
        empty={!!f && (!f.products.length || !f.batches.length || !f.machines.length)}
        emptyText="请先由管理员添加产品、生产批次和机器"
        onRetry={() => void form.reload()}
      >
        {f && (
          <View className="card" data-testid="output-form">
            <Field label="产品" required error={e.Product_id} testId="field-product">
              <Picker
                mode="selector"
                range={f.products.map(
                  (p) => `${p.Product_Name}${p.Product_Unit ? `（${p.Product_Unit}）` : ''}`,
                )}
                value={f.products.findIndex((p) => p.id === draft.Product_id)}
                onChange={(ev) => set('Product_id', f.products[Number(ev.detail.value)]?.id)}
                data-testid="pick-product"
              >
                <View className="field-input">
                  {f.products.find((p) => p.id === draft.Product_id)?.Product_Name ?? '请选择产品'}
                </View>
              </Picker>
            </Field>
            <Field label="机器" required error={e.Meter_Superior_id} testId="field-machine">
              <Picker
                mode="selector"
                range={f.machines.map((m) => `${m.Meter_Superior}（${m.Meter_Department}）`)}
                value={f.machines.findIndex((m) => m.id === draft.Meter_Superior_id)}
                onChange={(ev) => set('Meter_Superior_id', f.machines[Number(ev.detail.value)]?.id)}
                data-testid="pick-machine"
              >
                <View className="field-input">
                  {f.machines.find((m) => m.id === draft.Meter_Superior_id)?.Meter_Superior ?? '请选择机器'}
                </View>
              </Picker>
            </Field>
            <Field label="生产批次" required error={e.ProductBatch_id} testId="field-batch">
              <Picker
                mode="selector"
                range={f.batches.map((b) => b.Production_Batch)}
                value={f.batches.findIndex((b) => b.id === draft.ProductBatch_id)}
                onChange={(ev) => set('ProductBatch_id', f.batches[Number(ev.detail.value)]?.id)}
                data-testid="pick-batch"
              >
                <View className="field-input">
                  {f.batches.find((b) => b.id === draft.ProductBatch_id)?.Production_Batch ?? '请选择批次'}
                </View>
              </Picker>
            </Field>
            <TextField
              label={`产量（${unit}）`}
              required
              type="digit"
              value={draft.Total_Amount}
              error={e.Total_Amount}
              testId="field-amount"
              onChange={(v) => set('Total_Amount', v)}
            />
            <TextField
              label={`其中不合格（${unit}）`}
              type="digit"
              hint="选填，用于 OEE 质量率"
              value={draft.Reject_Amount}
              error={e.Reject_Amount}
              testId="field-reject"
              onChange={(v) => set('Reject_Amount', v)}
            />
            <TextField
              label="开始时间"
              required
              value={draft.Time_Start}
              hint={f.shift ? `默认为当前班次（${f.shift.name}）` : 'YYYY-MM-DD HH:mm:ss'}
              error={e.Time_Start}
              testId="field-start"
              onChange={(v) => set('Time_Start', v)}
            />
            <TextField
              label="结束时间"
              required
              value={draft.Time_End}
              hint="YYYY-MM-DD HH:mm:ss"
              error={e.Time_End}
              testId="field-end"
              onChange={(v) => set('Time_End', v)}
            />
            {errors.form && (
              <Text className="error-text" data-testid="form-error">
                {errors.form}
              </Text>
            )}
            <View className="actions">
              <Button type="primary" disabled={saving} onClick={() => void submit()}>
                {saving ? '保存中…' : '保存'}
              </Button>
            </View>
          </View>
        )}
      </StateView>
    </View>
  );
}
