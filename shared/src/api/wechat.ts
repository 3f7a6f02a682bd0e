import { z } from 'zod';
import { idLike } from '../wire';

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

/** A code point WeChat's nickname input never needs: C0/C1 controls and line/paragraph separators. */
const isControl = (c: string) => {
  const n = c.codePointAt(0)!;
  return n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x2028 || n === 0x2029;
};

/** Extension: PUT /api_3/xcx_profile, the nickname from `<input type="nickname">` for the bound WeChat. */
export const xcxProfileBody = z.strictObject({
  Nick_Name: z
    .string()
    .trim()
    .min(1, 'Nick_Name 不能为空')
    .max(64, 'Nick_Name 最多 64 个字符')
    .refine((v) => ![...v].some(isControl), 'Nick_Name 不能包含控制字符'),
});

/** Extension: the bound WeChat's nickname and avatar as we show them ('' when none). */
export const xcxProfileResult = z.object({
  Usr_ID: z.string(),
  WeChat_Nick_Name: z.string(),
  WeChat_Avatar_Url: z.string(),
});

/** Extension: GET /api_3/xcx_avatar, the avatar a user of the caller's organization picked. */
export const xcxAvatarQuery = z.strictObject({ id: idLike(), v: z.string().max(64).optional() });

export type XcxProfileBody = z.infer<typeof xcxProfileBody>;
export type XcxProfileResult = z.infer<typeof xcxProfileResult>;
