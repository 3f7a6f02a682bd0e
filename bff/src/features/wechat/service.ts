import type { XcxBindBody, XcxBindResult, XcxProfileResult } from '@wattdesk/shared';
import { AppError, isUniqueViolation, notFound } from '../../core/errors';
import { checkUploadedImage, type ImageStore, type UploadedFile } from '../../core/images';
import type { Actor } from '../../core/auth/actor';
import type { Clock } from '../../infra/clock';
import { decryptOpenData } from '../../adapters/wechat/crypto';
import type { WeChatClient } from '../../adapters/wechat/client';
import { wechatAvatarUrl, type AccountsRepository, type WeChatIdentityRow } from '../accounts/repository';
import type { AccountsService, IssuedSession, RequestOrigin } from '../accounts/service';
import { fromWeChat } from './errors';

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);
/** Only the tail of an openid reaches the audit log: enough to tell bindings apart. */
const openidTail = (openid: string) => `…${openid.slice(-6)}`;

const notBound = () => new AppError('not_found', '该账号没有绑定微信：请先在“我的”页面绑定微信');

const presentProfile = (row: WeChatIdentityRow): XcxProfileResult => ({
  Usr_ID: String(row.userId),
  WeChat_Nick_Name: row.nickName ?? '',
  WeChat_Avatar_Url: wechatAvatarUrl(row),
});

/** Seed 002 §9.1 binding and the WeChat login extension. */
export class WeChatIdentityService {
  constructor(
    private readonly wechat: WeChatClient,
    private readonly repo: AccountsRepository,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    /** Avatars picked in the mini-program (chooseAvatar). */
    private readonly avatars: ImageStore,
  ) {}

  /** 9.1: code → openid/session_key at WeChat, decrypt + watermark check, bind to the caller. */
  async bind(actor: Actor, cmd: XcxBindBody, origin: RequestOrigin): Promise<XcxBindResult> {
    const appid = this.wechat.appid;
    let session;
    let data;
    try {
      session = await this.wechat.code2Session(cmd.code);
      data = decryptOpenData(cmd.encryptedData, session.sessionKey, cmd.iv, appid);
    } catch (err) {
      throw fromWeChat(err);
    }
    // User-info plaintext names its openId: it must be the user the code belongs to.
    if (typeof data.openId === 'string' && data.openId !== session.openid) {
      throw new AppError('validation', 'encryptedData: 数据属于另一个微信用户', {
        field: 'encryptedData',
        rule: '与 code 属于同一微信用户',
      });
    }
    const other = await this.repo.findWeChatIdentity(appid, session.openid);
    if (other && other.userId !== actor.userId) throw this.boundElsewhere();
    const mine = await this.repo.findWeChatIdentityByUser(actor.userId);
    const phone = text(data.purePhoneNumber, 32) ?? text(data.phoneNumber, 32);
    const nickName = text(data.nickName, 64);
    let row;
    try {
      row = await this.repo.upsertWeChatIdentity({
        appid,
        openid: session.openid,
        unionid: session.unionid ?? text(data.unionId, 64) ?? mine?.unionid ?? null,
        userId: actor.userId,
        orgId: actor.orgId,
        // A phone-number button carries no nickname and a user-info button no phone: keep what we had.
        nickName: nickName ?? (mine?.openid === session.openid ? mine.nickName : null),
        avatarUrl: text(data.avatarUrl, 512) ?? (mine?.openid === session.openid ? mine.avatarUrl : null),
        phone: phone ?? (mine?.openid === session.openid ? mine.phone : null),
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw this.boundElsewhere();
      throw err;
    }
    await this.repo.audit({
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: 'wechat.bind',
      target: `user:${actor.userId}`,
      ip: origin.ip,
      detail: {
        openid: openidTail(session.openid),
        replaced: mine && mine.openid !== session.openid ? openidTail(mine.openid) : undefined,
        data: phone ? 'phone' : 'user_info',
      },
    });
    return {
      Usr_ID: String(actor.userId),
      Usr_WeChat_Bound: true,
      WeChat_Nick_Name: row.nickName ?? '',
      WeChat_Phone: row.phone ?? '',
    };
  }

  /** Extension: removes the signed-in user's WeChat binding (that WeChat can no longer sign in). */
  async unbind(actor: Actor, origin: RequestOrigin): Promise<void> {
    const removed = await this.repo.deleteWeChatIdentity(actor.orgId, actor.userId);
    if (!removed) throw notBound();
    if (removed.avatarKey) await this.avatars.remove(actor.orgId, removed.avatarKey);
    await this.repo.audit({
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: 'wechat.unbind',
      target: `user:${actor.userId}`,
      ip: origin.ip,
      detail: { openid: openidTail(removed.openid) },
    });
  }

  /** Extension: the nickname typed in `<input type="nickname">` for the caller's bound WeChat. */
  async setNickName(actor: Actor, nickName: string, origin: RequestOrigin): Promise<XcxProfileResult> {
    const row = await this.repo.updateWeChatProfile(actor.orgId, actor.userId, { nickName });
    if (!row) throw notBound();
    await this.audit(actor, origin, 'nick_name');
    return presentProfile(row);
  }

  /** Extension: stores the picture from `open-type="chooseAvatar"` as the caller's WeChat avatar. */
  async setAvatar(actor: Actor, file: UploadedFile, origin: RequestOrigin): Promise<XcxProfileResult> {
    const mine = await this.repo.findWeChatIdentityByUser(actor.userId);
    if (!mine || mine.orgId !== actor.orgId) throw notBound();
    const kind = await checkUploadedImage(file, 'WeChat_Avatar');
    const key = await this.avatars.save(actor.orgId, actor.userId, file.filepath, kind.ext);
    const row = await this.repo.updateWeChatProfile(actor.orgId, actor.userId, {
      avatarKey: key,
      avatarMime: kind.mime,
    });
    if (!row) {
      // Unbound meanwhile: keep nothing.
      await this.avatars.remove(actor.orgId, key);
      throw notBound();
    }
    if (mine.avatarKey && mine.avatarKey !== key) await this.avatars.remove(actor.orgId, mine.avatarKey);
    await this.audit(actor, origin, 'avatar');
    return presentProfile(row);
  }

  /** The stored avatar of a user of the caller's organization (404 otherwise). */
  async avatar(actor: Actor, userId: number): Promise<{ body: Buffer; mime: string }> {
    const row = await this.repo.findWeChatIdentityByUser(userId);
    if (!row || row.orgId !== actor.orgId || !row.avatarKey || !row.avatarMime) throw notFound('微信头像');
    return { body: await this.avatars.read(actor.orgId, row.avatarKey), mime: row.avatarMime };
  }

  private async audit(actor: Actor, origin: RequestOrigin, changed: 'nick_name' | 'avatar') {
    await this.repo.audit({
      orgId: actor.orgId,
      actorUserId: actor.userId,
      action: 'wechat.profile',
      target: `user:${actor.userId}`,
      ip: origin.ip,
      detail: { changed },
    });
  }

  /** Extension: a user whose WeChat is bound signs in with a wx.login code alone. */
  async login(code: string, origin: RequestOrigin): Promise<IssuedSession> {
    let session;
    try {
      session = await this.wechat.code2Session(code);
    } catch (err) {
      throw fromWeChat(err);
    }
    const identity = await this.repo.findWeChatIdentity(this.wechat.appid, session.openid);
    const user = identity && (await this.repo.findUserById(identity.userId));
    if (!user) {
      await this.repo.audit({
        action: 'login.failure',
        target: 'wechat-unbound',
        ip: origin.ip,
        detail: { kind: 'wechat', openid: openidTail(session.openid) },
      });
      throw new AppError(
        'user_not_found',
        '该微信尚未绑定能管通账号：请先用账号密码登录，再在小程序“我的”页面绑定微信',
        { rule: '微信已绑定账号' },
      );
    }
    if (user.lockedUntil && user.lockedUntil > this.clock.now()) {
      await this.repo.audit({
        orgId: user.orgId,
        actorUserId: user.id,
        action: 'login.refused_locked',
        ip: origin.ip,
      });
      throw new AppError(
        'account_locked',
        `登录失败次数过多，账户已锁定至 ${user.lockedUntil.toISOString()}`,
      );
    }
    await this.repo.audit({
      orgId: user.orgId,
      actorUserId: user.id,
      action: 'login.success',
      ip: origin.ip,
      detail: { kind: 'wechat' },
    });
    return this.accounts.issueSession(user, 'wechat', origin);
  }

  private boundElsewhere(): AppError {
    return new AppError('conflict', '该微信已绑定其他能管通账号，请先在原账号解绑', {
      field: 'code',
      rule: '一个微信只能绑定一个账号',
    });
  }
}
