import type { ReactNode } from 'react';
import { View, Input } from '@tarojs/components';

export interface FieldProps {
  label: string;
  /** The range or format in words, shown under the input until there is an error. */
  hint?: string;
  error?: string;
  required?: boolean;
  testId?: string;
  children: ReactNode;
}

/** One form row: label, the input, and under it either its hint or its own error. */
export function Field({ label, hint, error, required, testId, children }: FieldProps) {
  return (
    <View className="field" data-testid={testId}>
      <View className="field-label">{`${label}${required ? ' *' : ''}`}</View>
      {children}
      {error ? (
        <View className="field-error" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </View>
      ) : (
        hint && <View className="field-hint">{hint}</View>
      )}
    </View>
  );
}

export interface TextFieldProps extends Omit<FieldProps, 'children'> {
  value: string;
  placeholder?: string;
  password?: boolean;
  type?: 'text' | 'number' | 'digit';
  onChange: (value: string) => void;
}

/** A text input inside a Field. */
export function TextField({ value, placeholder, password, type, onChange, ...field }: TextFieldProps) {
  return (
    <Field {...field}>
      <Input
        className="field-input"
        value={value}
        type={type ?? 'text'}
        password={password}
        placeholder={placeholder ?? field.hint ?? `请输入${field.label}`}
        onInput={(e) => onChange(e.detail.value)}
      />
    </Field>
  );
}
