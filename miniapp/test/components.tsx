import type { ReactNode } from 'react';

// Taro's base components as plain HTML for jsdom.
type P = { children?: ReactNode; className?: string; [k: string]: unknown };
const pass = ({ children, className, ...rest }: P) => {
  const attrs = Object.fromEntries(
    Object.entries(rest).filter(([k]) => k.startsWith('data-') || k === 'style'),
  );
  return { children, className, attrs };
};

export function View(props: P & { onClick?: () => void }) {
  const { children, className, attrs } = pass(props);
  return (
    <div className={className} onClick={props.onClick} {...attrs}>
      {children}
    </div>
  );
}
export function Text(props: P & { onClick?: () => void }) {
  const { children, className, attrs } = pass(props);
  return (
    <span className={className} onClick={props.onClick} {...attrs}>
      {children}
    </span>
  );
}
export function Input(props: {
  value?: string;
  placeholder?: string;
  password?: boolean;
  className?: string;
  onInput?: (e: { detail: { value: string } }) => void;
  onConfirm?: () => void;
  [k: string]: unknown;
}) {
  const attrs = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('data-')));
  return (
    <input
      {...attrs}
      className={props.className}
      type={props.password ? 'password' : 'text'}
      placeholder={props.placeholder}
      value={props.value ?? ''}
      onChange={(e) => props.onInput?.({ detail: { value: e.target.value } })}
    />
  );
}
export function Canvas() {
  return <canvas />;
}
export function Picker(props: {
  mode?: string;
  range?: string[];
  value?: number;
  onChange?: (e: { detail: { value: number } }) => void;
  children?: ReactNode;
  [k: string]: unknown;
}) {
  const attrs = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('data-')));
  return (
    <select
      {...attrs}
      value={props.value ?? 0}
      onChange={(e) => props.onChange?.({ detail: { value: Number(e.target.value) } })}
    >
      {(props.range ?? []).map((r, i) => (
        <option key={r} value={i}>
          {r}
        </option>
      ))}
    </select>
  );
}

/** What the phone-number button hands over when tapped (tests set it; no encryptedData = refused). */
export const phoneButton: { detail: { encryptedData?: string; iv?: string; errMsg?: string } } = {
  detail: { encryptedData: 'ZW5jcnlwdGVk', iv: 'aXZpdml2aXZpdml2aXY=' },
};
export function Button(props: {
  children?: ReactNode;
  disabled?: boolean;
  openType?: string;
  onGetPhoneNumber?: (e: { detail: unknown }) => void;
  onClick?: () => void;
}) {
  return (
    <button
      type="button"
      data-open-type={props.openType}
      disabled={props.disabled}
      onClick={() => {
        if (props.disabled) return;
        if (props.openType === 'getPhoneNumber') props.onGetPhoneNumber?.({ detail: phoneButton.detail });
        else props.onClick?.();
      }}
    >
      {props.children}
    </button>
  );
}
