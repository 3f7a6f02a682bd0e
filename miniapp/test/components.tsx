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
  onBlur?: (e: { detail: { value: string } }) => void;
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
      onBlur={(e) => props.onBlur?.({ detail: { value: e.target.value } })}
    />
  );
}
export function Image(props: { src?: string; className?: string; [k: string]: unknown }) {
  const attrs = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('data-')));
  return <img {...attrs} className={props.className} src={props.src} alt="" />;
}
export function Canvas() {
  return <canvas />;
}
export function Textarea(props: {
  value?: string;
  placeholder?: string;
  className?: string;
  onInput?: (e: { detail: { value: string } }) => void;
}) {
  return (
    <textarea
      className={props.className}
      placeholder={props.placeholder}
      value={props.value ?? ''}
      onChange={(e) => props.onInput?.({ detail: { value: e.target.value } })}
    />
  );
}
/**
 * The picker: mode="date" as an <input> whose value is the picked date string ("2018-03"); a selector
 * as a <select> answering an index, `range` items strings or objects named by `rangeKey`, "请选择"
 * while nothing is picked. `data-*` attributes go on the input or select itself.
 */
export function Picker(props: {
  mode?: string;
  range?: unknown[];
  rangeKey?: string;
  value?: number | string;
  onChange?: (e: { detail: { value: number | string } }) => void;
  children?: ReactNode;
  [k: string]: unknown;
}) {
  const attrs = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('data-')));
  if (props.mode === 'date')
    return (
      <input
        {...attrs}
        value={String(props.value ?? '')}
        onChange={(e) => props.onChange?.({ detail: { value: e.target.value } })}
      />
    );
  const label = (r: unknown) =>
    typeof r === 'object' && r ? String((r as Record<string, unknown>)[props.rangeKey ?? '']) : String(r);
  return (
    <>
      <select
        {...attrs}
        value={props.value ?? -1}
        onChange={(e) => props.onChange?.({ detail: { value: Number(e.target.value) } })}
      >
        {(props.value === undefined || props.value === -1) && (
          <option value={-1} disabled>
            请选择
          </option>
        )}
        {(props.range ?? []).map((r, i) => (
          <option key={i} value={i}>
            {label(r)}
          </option>
        ))}
      </select>
      {props.children}
    </>
  );
}

/** What the phone-number button hands over when tapped (tests set it; no encryptedData = refused). */
export const phoneButton: { detail: { encryptedData?: string; iv?: string; errMsg?: string } } = {
  detail: { encryptedData: 'ZW5jcnlwdGVk', iv: 'aXZpdml2aXZpdml2aXY=' },
};
/** What the avatar picker (open-type="chooseAvatar") answers: a temp file of the picked picture. */
export const avatarButton = { detail: { avatarUrl: 'wxfile://tmp/avatar.png' } };
export function Button(props: {
  children?: ReactNode;
  disabled?: boolean;
  openType?: string;
  onGetPhoneNumber?: (e: { detail: unknown }) => void;
  onChooseAvatar?: (e: { detail: unknown }) => void;
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
        else if (props.openType === 'chooseAvatar') props.onChooseAvatar?.({ detail: avatarButton.detail });
        else props.onClick?.();
      }}
    >
      {props.children}
    </button>
  );
}
/** The web view's latest page load, for tests to trigger (`webView.load(src)` = bindload with that src). */
export const webView = { load: (_src: string) => undefined as void };
/** The web view: the page it would open, as an iframe's address. */
export function WebView(props: { src?: string; onLoad?: (e: { detail: { src: string } }) => void }) {
  webView.load = (src) => props.onLoad?.({ detail: { src } });
  return <iframe data-testid="web-view" src={props.src} title="web-view" />;
}
