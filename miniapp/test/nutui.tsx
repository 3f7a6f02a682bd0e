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
export const Picker = () => null;
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
