import { z } from 'zod';

/** Every WeChat answer may carry errcode/errmsg; a success leaves errcode out or sets it to 0. */
export const errorBody = z.looseObject({ errcode: z.number().int(), errmsg: z.string().optional() });

/** §1(a) code2Session success. */
export const sessionBody = z.looseObject({
  openid: z.string().min(1),
  session_key: z.string().length(24),
  unionid: z.string().optional(),
});

/** §1(c) access token / stable token success. */
export const tokenBody = z.looseObject({
  access_token: z.string().min(1).max(1024),
  expires_in: z.number().int().positive(),
});

/** §1(d) subscribe send success. */
export const sendBody = z.looseObject({ errcode: z.literal(0).optional(), msgid: z.number().optional() });

/** §1(e) getPhoneNumber success; countryCode is a number in the example and a string in the table. */
export const phoneBody = z.looseObject({
  phone_info: z.looseObject({
    phoneNumber: z.string(),
    purePhoneNumber: z.string(),
    countryCode: z.union([z.number(), z.string()]).transform(String),
    watermark: z.looseObject({ appid: z.string(), timestamp: z.number() }),
  }),
});

export type Code2Session = { openid: string; sessionKey: string; unionid?: string };
export type PhoneInfo = { phoneNumber: string; purePhoneNumber: string; countryCode: string };
