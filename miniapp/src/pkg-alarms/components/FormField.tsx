import type { ReactNode } from 'react';
import { View } from '@tarojs/components';

export interface FormFieldProps {
  label: string;
  /** Shown under the input when the form check or the BFF found something. */
  error?: string;
  hint?: string;
  /** For tests and e2e: `field-<name>` on the wrapper, `field-<name>-error` on the message. */
  name: string;
  children: ReactNode;
}

/** One labelled input with its hint and its error right below it. */
export function FormField({ label, error, hint, name, children }: FormFieldProps) {
  return (
    <View className="field" data-testid={`field-${name}`}>
      <View className="field-label">{label}</View>
      {children}
      {hint && !error && <View className="muted">{hint}</View>}
      {error && (
        <View className="field-error" data-testid={`field-${name}-error`}>
          {error}
        </View>
      )}
    </View>
  );
}
