import { errorKinds } from '@wattdesk/shared';
import type { AppError } from '../errors';

/** Which seed's envelope a route answers in. */
export type EnvelopeKind = '002' | 'ems' | 'charging' | 'plain';

/** A paged 002 answer: the page of items and the count before paging. */
export interface Paged<T> {
  readonly items: T[];
  readonly total: number;
}
export const paged = <T>(items: T[], total: number): Paged<T> => ({ items, total });
const isPaged = (v: unknown): v is Paged<unknown> =>
  typeof v === 'object' && v !== null && Array.isArray((v as Paged<unknown>).items) && 'total' in v;

/**
 * The paged 002 success envelope around a `Data` array that is already JSON text (a large page built by
 * the database), as the body to send; the same fields as `presentSuccess` gives a `Paged` result.
 */
export const presentPagedJson = (dataJson: string, total: number, message = 'ok'): string =>
  `{"Err_No":"0","Err_Msg":${JSON.stringify(message)},"Data":${dataJson},"Total_Numbers":${total}}`;

/** Wraps a handler's result in its seed's success envelope. */
export function presentSuccess(kind: EnvelopeKind, result: unknown, message?: string): unknown {
  switch (kind) {
    case '002': {
      if (result === undefined || result === null) return { Err_No: '0', Err_Msg: message ?? 'ok' };
      if (isPaged(result)) {
        return { Err_No: '0', Err_Msg: message ?? 'ok', Data: result.items, Total_Numbers: result.total };
      }
      const data = Array.isArray(result) ? result : [result];
      return { Err_No: '0', Err_Msg: message ?? 'ok', Data: data, Total_Numbers: data.length };
    }
    case 'ems':
      return { code: 0, message: message ?? '成功', data: result ?? '' };
    case 'charging':
      return { status: 200, message: message ?? 'success', data: result ?? null };
    case 'plain':
      return result;
  }
}

/** Wraps an error in its seed's envelope. 5xx messages are generic; details stay in the log. */
export function presentError(kind: EnvelopeKind, err: AppError, requestId: string): unknown {
  const def = errorKinds[err.kind];
  const message = err.reportable ? `${def.zh}（请求编号 ${requestId}）` : err.message;
  const details = err.reportable ? undefined : err.details;
  switch (kind) {
    case '002':
      return { Err_No: def.code002, Err_Msg: message, ...(details ? { Err_Detail: details } : {}) };
    case 'ems':
      return { code: def.codeEms, message, data: details ?? '' };
    case 'charging':
      return { status: def.codeCharging, message, data: details ?? null };
    case 'plain':
      return { error: err.kind, message, ...(details ? { details } : {}) };
  }
}
