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
}) {
  return (
    <input
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
