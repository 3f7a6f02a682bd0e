import { checkSubscribeData } from '../../../fakes/wechat/subscribe-values';
import { resolveTargets } from '../recipients';
import type { AlarmRow } from '../tables';
import { cut, wechatData } from './channels';
import { nextAt, quietUntil } from './quiet';

const alarm = (over: Partial<AlarmRow> = {}): AlarmRow =>
  ({
    id: 7,
    alarmName: '功率因数过低',
    ruleName: 'PF',
    machineName: '一号炼钢电弧炉（主厂房东侧，2018 年改造后）',
    meterName: '电弧炉电表（2018 实测）总进线',
    content: '一号炼钢电弧炉 电弧炉电表（2018 实测） Lag_PF = 73.21，低于下限 85',
    level: 3,
    type: 2,
    param: 'Lag_PF',
    value: 73.21,
    lastValue: 73.21,
    lowerLimit: 85,
    upperLimit: 100,
    raisedAt: new Date('2026-03-02T02:00:00Z'),
    clearedAt: null,
    ...over,
  }) as AlarmRow;

describe('WeChat subscribe-message values', () => {
  it.each(['raised', 'escalated:2', 'realarm:1', 'cleared'])(
    'fit every key type limit for a %s push even with long names (checked by the fake WeChat)',
    (event) => {
      const data = wechatData({
        alarm: alarm({ clearedAt: new Date('2026-03-02T03:00:00Z') }),
        event,
        tz: 'Asia/Shanghai',
      });
      const wire = Object.fromEntries(Object.entries(data).map(([k, value]) => [k, { value }]));
      expect(checkSubscribeData(wire)).toBeNull();
      expect([...data.thing2!].length).toBeLessThanOrEqual(20);
      expect(data.thing4).toBe('Lag_PF 73.21 低于下限 85');
      expect(data.time3).toBe(event === 'cleared' ? '2026-03-02 11:00' : '2026-03-02 10:00');
    },
  );

  it('cuts by characters, not bytes, and marks the cut', () => {
    expect(cut('短名', 20)).toBe('短名');
    expect(cut('一二三四五六七八九十一二三四五六七八九十一', 20)).toBe(
      '一二三四五六七八九十一二三四五六七八九…',
    );
  });
});

describe('quiet hours and the daily digest (local time)', () => {
  const tz = 'Asia/Shanghai';
  it.each([
    ['2026-03-02T15:00:00Z', '22:00', '07:00', '2026-03-02T23:00:00.000Z'], // 23:00 local → 07:00 next day
    ['2026-03-02T20:00:00Z', '22:00', '07:00', '2026-03-02T23:00:00.000Z'], // 04:00 local → 07:00 same day
    ['2026-03-02T04:00:00Z', '22:00', '07:00', null], // 12:00 local: not quiet
    ['2026-03-02T05:00:00Z', '12:00', '14:00', '2026-03-02T06:00:00.000Z'], // 13:00 local → 14:00
    ['2026-03-02T05:00:00Z', '', '', null],
  ])('at %s with quiet hours %s–%s a level-1 push waits until %s', (now, start, end, until) => {
    expect(quietUntil(new Date(now), tz, start, end)?.toISOString() ?? null).toBe(until);
  });

  it('schedules the digest at the next local digest time', () => {
    expect(nextAt(new Date('2026-03-02T01:00:00Z'), tz, '08:00').toISOString()).toBe(
      '2026-03-03T00:00:00.000Z',
    );
    expect(nextAt(new Date('2026-03-01T23:00:00Z'), tz, '08:00').toISOString()).toBe(
      '2026-03-02T00:00:00.000Z',
    );
  });
});

describe('Notify_Address', () => {
  const users = [
    { id: 3, name: 'zhang', email: 'z@example.cn', phone: '13800000000', openid: 'o1' },
    { id: 4, name: '李工', email: '', phone: '', openid: null },
  ];
  it('resolves user names, Usr_IDs and, per channel, raw addresses; a duplicate counts once', () => {
    const t = resolveTargets('zhang, 4，a@b.cn', 3, users);
    expect(t.map((x) => (x.kind === 'user' ? x.user.id : x.kind))).toEqual([3, 4, 'email']);
    expect(resolveTargets('3,zhang', 4, users)).toHaveLength(1);
    expect(resolveTargets('13900000000', 2, users)[0]).toEqual({ kind: 'phone', phone: '13900000000' });
  });
  it('names the field when an entry is nobody', () => {
    expect(() => resolveTargets('a@b.cn', 4, users)).toThrow(/Notify_Address/);
    expect(() => resolveTargets('ghost', 1, users, 'Escalate_To')).toThrow(/Escalate_To/);
  });
});
