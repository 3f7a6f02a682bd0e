import { ALARM_LEVEL_NAMES } from '@wattdesk/shared';
import type { WeChatClient } from '../../../adapters/wechat/client';
import { WeChatApiError } from '../../../adapters/wechat/errors';
import type { Mailer } from '../../../adapters/email/mailer';
import type { SmsClient } from '../../../adapters/sms/client';
import type { Logger } from '../../../infra/logger';
import { formatLocal } from '../../../core/time';
import { readable } from '../content';
import type { AlarmRow } from '../tables';
import type { AlarmBroadcast } from './planner';
import type { DeliveryRepository } from './repository';

/** What one attempt came to. `fallback`: the push cannot reach this user; the platform channel covers it. */
export type Outcome =
  | { status: 'sent'; answer: string }
  | { status: 'retry'; answer: string }
  | { status: 'failed'; answer: string }
  | { status: 'fallback'; answer: string };

/** One delivery as a channel sends it. */
export interface Send {
  alarm: AlarmRow;
  event: string;
  tz: string;
  user?: { id: number; name: string; openid: string | null };
  email?: string;
  phone?: string;
}

const EVENT_WORDS: Record<string, string> = {
  raised: '告警',
  escalated: '告警升级',
  realarm: '告警提醒',
  cleared: '已恢复',
};
const eventWord = (event: string) => EVENT_WORDS[event.split(':')[0]!] ?? '告警';

/** Cuts to at most `n` characters (code points), ending in … when cut: never loses the alarm's gist. */
export const cut = (v: string, n: number): string => {
  const c = [...v.trim()];
  return c.length <= n ? c.join('') : c.slice(0, n - 1).join('') + '…';
};

/**
 * The subscribe-message data of an alarm, every value within its key type's limit (alarms-and-push.md):
 * thing1 告警名称, thing2 位置 (machine · meter), time3 发生时间, thing4 告警内容, phrase5 状态 (≤ 5 汉字).
 */
/** What happened in a few words (the place is in its own field): `Lag_PF 73.21 低于下限 85`. */
export function shortContent(a: AlarmRow): string {
  const v = readable(a.lastValue);
  const side =
    a.lastValue < a.lowerLimit
      ? `低于下限 ${readable(a.lowerLimit)}`
      : a.lastValue > a.upperLimit
        ? `高于上限 ${readable(a.upperLimit)}`
        : `限值 ${readable(a.lowerLimit)}~${readable(a.upperLimit)}`;
  if (a.type === 3) return `BMS 报警数 ${v}，请故障复位`;
  return `${a.type === 1 ? '小时用量' : a.param} ${v} ${side}`;
}

export function wechatData(s: Send): Record<string, string> {
  const a = s.alarm;
  const full = [a.machineName, a.meterName].filter(Boolean).join(' ');
  const where = ([...full].length <= 20 ? full : a.meterName) || '—';
  const state = s.event.startsWith('cleared')
    ? '已恢复'
    : `${ALARM_LEVEL_NAMES[a.level] ?? ''}${eventWord(s.event)}`;
  return {
    thing1: cut(a.alarmName || a.ruleName, 20),
    thing2: cut(where, 20),
    time3: formatLocal(s.event.startsWith('cleared') && a.clearedAt ? a.clearedAt : a.raisedAt, s.tz).slice(
      0,
      16,
    ),
    thing4: cut(s.event === 'digest' ? a.content : shortContent(a), 20),
    phrase5: [...state.replace(/[^\p{Script=Han}]/gu, '')].slice(0, 5).join('') || '告警',
  };
}

export interface ChannelDeps {
  wechat: () => WeChatClient;
  templateId: string;
  page: string;
  mailer: () => Mailer | null;
  sms: () => SmsClient | null;
  deliveries: DeliveryRepository;
  broadcast: AlarmBroadcast;
  log: Logger;
}

/** The four channels of `Alarm_Notify`. */
export class Channels {
  constructor(private readonly d: ChannelDeps) {}

  async send(channel: number, s: Send): Promise<Outcome> {
    switch (channel) {
      case 1:
        // The app channel is the alarm centre itself (its list and unread count): committed as sent,
        // then announced to open apps (`announce`), so a stream's unread count already includes it.
        return { status: 'sent', answer: '已推送到应用（未读 +1）' };
      case 4:
        return this.wechat(s);
      case 3:
        return this.email(s);
      default:
        return this.sms(s);
    }
  }

  /** Tells open apps (SSE) about a platform delivery after it was committed; best effort (the list has it). */
  async announce(s: Send): Promise<void> {
    await this.d.broadcast
      .publish(s.alarm.orgId, s.alarm.id, s.event)
      .catch((err: Error) => this.d.log.warn({ err, alarm: s.alarm.id }, 'alarm stream announce failed'));
  }

  private async wechat(s: Send): Promise<Outcome> {
    const user = s.user;
    if (!user?.openid) return { status: 'fallback', answer: '该用户未绑定微信，已改用平台通知' };
    const template = this.d.templateId;
    if (!(await this.d.deliveries.takeOne(user.id, template)))
      return { status: 'fallback', answer: '剩余订阅次数为 0，已改用平台通知' };
    try {
      await this.d.wechat().sendSubscribeMessage({
        touser: user.openid,
        templateId: template,
        page: `${this.d.page}?id=${s.alarm.id}`,
        data: wechatData(s),
        lang: 'zh_CN',
      });
      return { status: 'sent', answer: 'errcode 0' };
    } catch (err) {
      if (!(err instanceof WeChatApiError)) return { status: 'retry', answer: (err as Error).message };
      const answer = `errcode ${err.errcode}: ${err.errmsg}`;
      if (err.errcode === 43101) {
        await this.d.deliveries.zero(user.id, template);
        return { status: 'fallback', answer: `${answer}（用户无剩余订阅，已改用平台通知）` };
      }
      // Nothing was delivered: the acceptance is still the user's.
      await this.d.deliveries.giveBack(user.id, template);
      if (err.errcode === 47003) {
        const key = /data\.([a-z_]+\d+)/.exec(err.errmsg)?.[1] ?? 'unknown';
        this.d.log.error(
          { alarm: s.alarm.id, key, errcode: 47003 },
          'wechat rejected a template value (a bug)',
        );
        return { status: 'failed', answer };
      }
      if (err.reason === 'busy' || err.reason === 'rate_limited' || err.reason === 'token_invalid')
        return { status: 'retry', answer };
      return { status: 'failed', answer };
    }
  }

  private text(s: Send): { subject: string; body: string } {
    const a = s.alarm;
    const subject = `【${ALARM_LEVEL_NAMES[a.level] ?? ''}${eventWord(s.event)}】${a.alarmName}`;
    const lines = [
      `${a.alarmName}（规则：${a.ruleName}）`,
      `位置：${[a.machineName, a.meterName].filter(Boolean).join(' ')}`,
      `内容：${a.content}`,
      `发生时间：${formatLocal(a.raisedAt, s.tz)}`,
      a.clearedAt ? `恢复时间：${formatLocal(a.clearedAt, s.tz)}` : '',
      `告警编号：${a.id}`,
    ];
    return { subject, body: lines.filter(Boolean).join('\n') };
  }

  private async email(s: Send): Promise<Outcome> {
    const mailer = this.d.mailer();
    const to = s.email;
    if (!mailer) return { status: 'failed', answer: '未配置 SMTP_URL，无法发送邮件' };
    if (!to) return { status: 'failed', answer: '该用户没有邮箱' };
    const { subject, body } = this.text(s);
    const r = await mailer.send(to, subject, body);
    return r.ok
      ? { status: 'sent', answer: r.answer }
      : { status: r.retryable ? 'retry' : 'failed', answer: r.answer };
  }

  private async sms(s: Send): Promise<Outcome> {
    const client = this.d.sms();
    if (!client) return { status: 'failed', answer: '未配置 SMS_API_BASE，无法发送短信' };
    if (!s.phone) return { status: 'failed', answer: '该用户没有手机号' };
    const a = s.alarm;
    const r = await client.send({
      phone: s.phone,
      params: {
        name: a.alarmName,
        level: ALARM_LEVEL_NAMES[a.level] ?? '',
        content: `${eventWord(s.event)}：${a.content}`,
        time: formatLocal(a.raisedAt, s.tz).slice(0, 16),
      },
    });
    if (r.ok) return { status: 'sent', answer: `OK ${r.messageId}` };
    return { status: r.retryable ? 'retry' : 'failed', answer: `${r.code} ${r.message}`.trim() };
  }
}
