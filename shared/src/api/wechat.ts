import { z } from 'zod';

const base64 = (field: string, max: number) =>
  z
    .string()
    .min(1, `${field} 不能为空`)
    .max(max, `${field} 最多 ${max} 个字符`)
    .regex(/^[A-Za-z0-9+/\s]+={0,2}$/, `${field} 必须是 base64`);
const wxCode = z
  .string()
  .min(1, 'code 不能为空')
  .max(128, 'code 最多 128 个字符')
  .regex(/^[A-Za-z0-9_\-.]+$/, 'code 只能包含字母、数字和 _ - .');

/** 9.1 POST /api_3/xcx_info_bind: `code` from wx.login, `encryptedData` + `iv` from the user-info or phone-number button. */
export const xcxBindBody = z.strictObject({
  code: wxCode,
  encryptedData: base64('encryptedData', 8192),
  iv: base64('iv', 64),
});

/** WeChat login (extension): a bound user signs in with a `wx.login` code alone; answers like 1.1. */
export const xcxLoginBody = z.strictObject({ code: wxCode });

/** 9.1 response item (extension: the seed shows none): the binding now in force. */
export const xcxBindResult = z.object({
  Usr_ID: z.string(),
  Usr_WeChat_Bound: z.literal(true),
  WeChat_Nick_Name: z.string(),
  WeChat_Phone: z.string(),
});

export type XcxBindBody = z.infer<typeof xcxBindBody>;
export type XcxBindResult = z.infer<typeof xcxBindResult>;
