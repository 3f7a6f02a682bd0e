import { View, Input } from '@tarojs/components';
import { Button, Segmented } from '../../ui/nutui';
import { FormField } from './FormField';

export interface TextFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  placeholder?: string;
  /** The phone keyboard: whole numbers, decimals, or text (default). */
  keyboard?: 'number' | 'digit' | 'text';
  maxlength?: number;
}

/** A labelled text input with its hint and error below it. */
export function TextField(p: TextFieldProps) {
  return (
    <FormField label={p.label} name={p.name} error={p.error} hint={p.hint}>
      <Input
        className="field-input"
        type={p.keyboard ?? 'text'}
        value={p.value}
        placeholder={p.placeholder}
        maxlength={p.maxlength ?? 200}
        onInput={(ev) => p.onChange(ev.detail.value)}
      />
    </FormField>
  );
}

/** The form's own error (one the BFF gave for no field of the form), 保存, and 删除 when editing. */
export function FormButtons(p: {
  general?: string;
  busy: boolean;
  onSave: () => void;
  onDelete?: () => void;
}) {
  return (
    <View>
      {p.general && (
        <View className="field-error" data-testid="form-error">
          {p.general}
        </View>
      )}
      <View className="actions">
        <Button type="primary" loading={p.busy} disabled={p.busy} onClick={p.onSave}>
          保存
        </Button>
        {p.onDelete && (
          <Button type="danger" disabled={p.busy} onClick={p.onDelete}>
            删除
          </Button>
        )}
      </View>
    </View>
  );
}

/** A labelled choice among seed codes (`{1: {name: '一般'}, …}`), shown as segments. */
export function ChoiceField(p: {
  label: string;
  name: string;
  codes: Record<number, { name: string }>;
  value: number;
  onChange: (value: number) => void;
  error?: string;
}) {
  return (
    <FormField label={p.label} name={p.name} error={p.error}>
      <Segmented
        value={p.value}
        options={Object.entries(p.codes).map(([value, c]) => ({ label: c.name, value: Number(value) }))}
        onChange={(v) => p.onChange(Number(v))}
      />
    </FormField>
  );
}
