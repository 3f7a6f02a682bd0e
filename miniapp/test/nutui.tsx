import type { ReactNode } from 'react';

// NutUI's look does not matter to component tests; these keep each component's behaviour contract.
type Kids = { children?: ReactNode };
export function Button(
  props: Kids & { disabled?: boolean; loading?: boolean; onClick?: () => void; type?: string },
) {
  return (
    <button type="button" disabled={props.disabled} onClick={() => !props.disabled && props.onClick?.()}>
      {props.children}
    </button>
  );
}
export function Cell(props: {
  title?: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
  onClick?: () => void;
}) {
  return (
    <div onClick={props.onClick}>
      {props.title}
      {props.description}
      {props.extra}
    </div>
  );
}
export const CellGroup = ({ children }: Kids) => <div>{children}</div>;
export const Tag = ({ children }: Kids) => <span>{children}</span>;
export const Loading = ({ children }: Kids) => <div>{children}</div>;
export function Popup(props: Kids & { visible?: boolean; title?: ReactNode }) {
  return props.visible ? (
    <div role="dialog">
      {props.title}
      {props.children}
    </div>
  ) : null;
}
type PickerOption = { label: ReactNode; value: string | number; children?: PickerOption[] };
/** NutUI's Picker when open: the selection it opens on (`data-value`), its columns, and 确定. */
export function Picker(props: {
  visible?: boolean;
  title?: ReactNode;
  options?: PickerOption[][];
  value?: (string | number)[];
  onConfirm?: (options: PickerOption[], values: (string | number)[]) => void;
  onClose?: () => void;
}) {
  if (!props.visible) return null;
  const value = props.value ?? [];
  const first = props.options?.[0] ?? [];
  const branch = first.find((o) => o.value === value[0]);
  return (
    <div role="dialog" data-testid="picker" data-value={value.join('/')}>
      {props.title}
      <div data-testid="picker-column-0">{first.map((o) => String(o.value)).join(' ')}</div>
      <div data-testid="picker-column-1">
        {(branch?.children ?? []).map((o) => String(o.value)).join(' ')}
      </div>
      <button type="button" onClick={() => props.onConfirm?.([], value)}>
        确定
      </button>
      <button type="button" onClick={() => props.onClose?.()}>
        取消
      </button>
    </div>
  );
}
export const Input = () => null;
export function Segmented(props: {
  options: { label: ReactNode; value: string | number }[];
  onChange?: (v: string | number) => void;
}) {
  return (
    <div>
      {props.options.map((o) => (
        <button type="button" key={String(o.value)} onClick={() => props.onChange?.(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
