import type {
  LoginResult,
  ProvinceCities,
  UserProfile,
  XcxBindResult,
  XcxProfileResult,
} from '@wattdesk/shared';
import type { z } from 'zod';
import type { registerBody, updateUserBody, xcxBindBody } from '@wattdesk/shared';
import { sendImage, type PickedImage } from '../platform/avatar';
import { ApiError } from './errors';
import { call002, callOne002, endpoints, oneOf002 } from './request';
import { clearSession, readSession, saveSession } from './session';

/** 1.1 Signs in with user name and password and keeps the session. */
export async function loginWithPassword(name: string, password: string): Promise<LoginResult> {
  const result = await callOne002<LoginResult>(endpoints.login, {
    body: { Usr_Name: name, Usr_Password: password },
  });
  saveSession(result);
  return result;
}

/** 1.2 Signs out (the token stops working at once) and forgets the session. */
export async function logout(): Promise<void> {
  try {
    await call002(endpoints.logout);
  } finally {
    clearSession();
  }
}

/** 1.5 The signed-in user's profile. */
export function fetchProfile(): Promise<UserProfile> {
  return callOne002<UserProfile>(endpoints.profile);
}

/** 1.4 Saves the profile; answers the stored profile. */
export function saveProfile(body: z.input<typeof updateUserBody>): Promise<UserProfile> {
  return callOne002<UserProfile>(endpoints.updateProfile, { body });
}

/** 9.1 Binds the signed-in user to the WeChat identity behind `code` (+ encrypted user data). */
export async function bindWeChat(body: z.input<typeof xcxBindBody>): Promise<void> {
  await call002(endpoints.wechatBind, { body });
}

/** 9.2 Provinces with their cities. */
export async function fetchProvinces(): Promise<ProvinceCities[]> {
  return (await call002<ProvinceCities>(endpoints.provinces)).items;
}

/** 1.3 Registers a new organization; the user becomes its admin (sign in afterwards). */
export async function registerOrganization(body: z.input<typeof registerBody>): Promise<void> {
  await callOne002(endpoints.register, { body });
}

/** Extension: removes this account's WeChat binding (that WeChat can no longer sign in here). */
export async function unbindWeChat(): Promise<void> {
  await call002(endpoints.wechatUnbind);
}

/** 9.1 answer: the binding now in force, with the phone number WeChat decrypted (if any). */
export async function bindWeChatPhone(body: z.input<typeof xcxBindBody>): Promise<XcxBindResult> {
  return callOne002<XcxBindResult>(endpoints.wechatBind, { body });
}

/** Extension: the nickname from `<input type="nickname">` for this account's bound WeChat. */
export function saveWeChatNickName(nickName: string): Promise<XcxProfileResult> {
  return callOne002<XcxProfileResult>(endpoints.wechatProfile, { body: { Nick_Name: nickName } });
}

/** Extension: uploads the picture from `open-type="chooseAvatar"` as this account's WeChat avatar. */
export async function uploadWeChatAvatar(image: PickedImage): Promise<XcxProfileResult> {
  const token = readSession()?.token;
  if (!token) throw new ApiError('api', '登录已过期，请重新登录');
  const ep = endpoints.wechatAvatar;
  return oneOf002<XcxProfileResult>(ep, await sendImage(ep.path, 'WeChat_Avatar', image, token));
}
