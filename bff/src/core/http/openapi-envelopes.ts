import { errorKinds } from '@wattdesk/shared';
import type { EnvelopeKind } from './envelope';

type Json = Record<string, unknown>;
const str = (example?: string): Json => ({ type: 'string', ...(example ? { example } : {}) });
const detail: Json = {
  type: 'object',
  description: '出错的字段与规则（4xx）',
  properties: { field: str('Usr_Email'), rule: str('邮箱格式不正确') },
  additionalProperties: true,
};

/** The success envelope of a seed around the documented item schema (what clients really receive). */
export function successEnvelope(kind: EnvelopeKind, item: Json | undefined): Json | undefined {
  switch (kind) {
    case '002':
      return {
        type: 'object',
        required: ['Err_No', 'Err_Msg'],
        properties: {
          Err_No: str('0'),
          Err_Msg: str('ok'),
          ...(item ? { Data: { type: 'array', items: item }, Total_Numbers: { type: 'integer' } } : {}),
        },
      };
    case 'ems':
      return {
        type: 'object',
        required: ['code', 'message', 'data'],
        properties: { code: { type: 'integer', example: 0 }, message: str('成功'), data: item ?? {} },
      };
    case 'charging':
      return {
        type: 'object',
        required: ['status', 'message', 'data'],
        properties: { status: { type: 'integer', example: 200 }, message: str('success'), data: item ?? {} },
      };
    case 'plain':
      return item;
  }
}

/** The error envelope of a seed: the code clients switch on, a message for people, and the details. */
export function errorEnvelope(kind: EnvelopeKind, status: number): Json {
  const def = Object.values(errorKinds).find((k) => k.status === status) ?? errorKinds.internal;
  switch (kind) {
    case '002':
      return {
        type: 'object',
        required: ['Err_No', 'Err_Msg'],
        properties: { Err_No: str(def.code002), Err_Msg: str(def.zh), Err_Detail: detail },
      };
    case 'ems':
      return {
        type: 'object',
        required: ['code', 'message', 'data'],
        properties: { code: { type: 'integer', example: def.codeEms }, message: str(def.zh), data: detail },
      };
    case 'charging':
      return {
        type: 'object',
        required: ['status', 'message', 'data'],
        properties: {
          status: { type: 'integer', example: def.codeCharging },
          message: str(def.zh),
          data: detail,
        },
      };
    case 'plain':
      return {
        type: 'object',
        required: ['error', 'message'],
        properties: { error: str(kindName(def)), message: str(def.zh), details: detail },
      };
  }
}

const kindName = (def: (typeof errorKinds)[keyof typeof errorKinds]): string =>
  Object.entries(errorKinds).find(([, d]) => d === def)?.[0] ?? 'internal';
