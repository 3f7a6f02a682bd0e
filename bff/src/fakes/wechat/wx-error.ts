import crypto from 'node:crypto';

/** A WeChat answer: `{errcode, errmsg}` on failure (always HTTP 200), the documented body on success. */
export type WxBody = Record<string, unknown>;

const rid = () => [4, 4, 4].map((n) => crypto.randomBytes(n).toString('hex')).join('-');
/** `{errcode, errmsg: "<text> rid: <id>"}` as WeChat writes it. */
export const wxError = (errcode: number, text: string): WxBody => ({
  errcode,
  errmsg: `${text} rid: ${rid()}`,
});
