import { messages002, messagesEms } from '@wattdesk/shared';

/** Which seed envelope an endpoint answers in. */
export type EnvelopeKind = '002' | 'ems';

/** Why a call failed, from the user's point of view. */
export type FailureKind = 'api' | 'session' | 'network' | 'timeout' | 'format';

/** A failed API call; `message` is always a Chinese sentence fit to show the user. */
export class ApiError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly code?: string | number,
    readonly status?: number,
    readonly field?: string,
    /** The device command record a failed command left (its outcome can be looked up there). */
    readonly commandId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const CJK = /[\u4e00-\u9fa5]/;

/**
 * The sentence shown for an error envelope. Our BFF writes every message in Chinese for users (4xx name
 * the field or the device's reason; 5xx are generic, details stay in its log), so a Chinese message is
 * shown as it is; anything else (a proxy's text, an English stack) falls back to the catalogue text.
 */
export function describeFailure(
  envelope: EnvelopeKind,
  code: string | number,
  serverMessage: string | undefined,
  status: number,
): string {
  const catalogue = envelope === '002' ? messages002[String(code)] : messagesEms[Number(code)];
  const fallback = catalogue ?? (status >= 500 ? '服务器开小差了，请稍后再试' : '请求未能完成');
  if (!serverMessage || !CJK.test(serverMessage) || /\bat\s|Error:/.test(serverMessage)) return fallback;
  return serverMessage;
}

/** The codes that mean "your session is gone; sign in again" (only asked of calls that carry a token). */
export function isSessionExpired(envelope: EnvelopeKind, code: string | number): boolean {
  return envelope === '002' ? String(code) === '4101' : Number(code) === 100002;
}

/** Turns anything thrown into a sentence for the user, never a stack or raw code. */
export function userMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return '操作失败，请稍后再试';
}
