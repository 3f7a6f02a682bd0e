import type { UserProfile } from '@wattdesk/shared';
import { saveSession } from '../src/api/session';

/** A 1.5 profile answer for user 3 (`zhang`); `over` changes fields. */
export const userProfile = (over: Partial<UserProfile> = {}): UserProfile => ({
  id: 3,
  Usr_Name: 'zhang',
  Usr_Email: 'zhang@example.com',
  Usr_Phone: '',
  XCX_Title: '',
  Usr_Company: '',
  Usr_Province: '',
  Usr_City: '',
  Usr_Detail_Addr: '',
  Usr_Area: '',
  Usr_Role: 'admin',
  Usr_Permissions: [],
  Usr_WeChat_Bound: false,
  WeChat_Nick_Name: '',
  WeChat_Avatar_Url: '',
  ...over,
});

/** Signs user 3 in (token `t`) as `role`. */
export const signInZhang = (role: UserProfile['Usr_Role'] = 'admin') =>
  saveSession({
    Usr_Name: 'zhang',
    Usr_ID: '3',
    Usr_Token: 't',
    Usr_Role: role,
    Token_Expires: '2030-01-01T00:00:00Z',
  });
