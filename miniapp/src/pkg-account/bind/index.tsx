import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import type { XcxBindResult } from '@wattdesk/shared';
import { Button } from '../../ui/nutui';
import { bindWeChatPhone, fetchProfile, saveProfile } from '../../api/accounts';
import { userMessage } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { setWechatAutoLogin } from '../../api/session';
import { wechatCode, wechatLabel } from '../../platform/wechat';
import { PhoneButton } from '../../platform/PhoneButton';
import { go } from '../../routes';

const digits = (s: string) => s.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
const masked = (s: string) => (s.length >= 11 ? `${s.slice(0, 3)}****${s.slice(-4)}` : s);

/**
 * 9.1: binds the signed-in account to this WeChat through the phone-number button (WeChat's
 * user-info prompt has answered only "微信用户" since 2022), then shows the number WeChat gave for the
 * user to check against the account's. Binding again replaces the WeChat bound before.
 */
export default function BindPage() {
  const profile = useRemote(fetchProfile, 'bind-profile', { pullToRefresh: false });
  const [state, setState] = useState<'idle' | 'binding' | 'done'>('idle');
  const [error, setError] = useState<string>();
  const [bound, setBound] = useState<XcxBindResult>();
  const [phoneSaved, setPhoneSaved] = useState<string>();
  // The login code is fetched before the tap: WeChat encrypts with the session of the latest login.
  const code = useRef<Promise<string> | null>(null);
  const freshCode = () => {
    code.current = wechatCode();
    code.current.catch(() => undefined);
  };
  useEffect(freshCode, []);

  const bind = async (data: { encryptedData: string; iv: string }) => {
    if (state !== 'idle' || !code.current) return;
    const pendingCode = code.current;
    setState('binding');
    setError(undefined);
    try {
      setBound(await bindWeChatPhone({ code: await pendingCode, ...data }));
      setWechatAutoLogin(true);
      setState('done');
    } catch (err) {
      setError(userMessage(err));
      setState('idle');
      freshCode(); // a code is good for one exchange only
    }
  };

  const usePhone = async (phone: string) => {
    const p = profile.data;
    if (!p) return;
    try {
      const saved = await saveProfile({
        id: p.id,
        Usr_Name: p.Usr_Name,
        Usr_Email: p.Usr_Email,
        Usr_Phone: phone,
      });
      setPhoneSaved(saved.Usr_Phone);
    } catch (err) {
      setError(userMessage(err));
    }
  };

  const already = profile.data?.Usr_WeChat_Bound === true;
  const accountPhone = phoneSaved ?? profile.data?.Usr_Phone ?? '';
  const wechatPhone = bound?.WeChat_Phone ?? '';
  const same = wechatPhone !== '' && digits(wechatPhone) === digits(accountPhone);

  return (
    <View className="page">
      <View className="card">
        <View className="card-title">绑定{wechatLabel}</View>
        <Text className="muted">
          绑定后，下次打开小程序即可用微信直接登录，无需输入密码。绑定时微信会请你授权手机号，用于核对账号。
        </Text>
      </View>
      {already && state !== 'done' && (
        <View className="card notice-warning" data-testid="bind-replaces">
          这个账号已经绑定了一个微信。继续绑定会替换原来的微信：原来的微信将不能再登录这个账号。
        </View>
      )}
      {error && (
        <View className="card notice-error" data-testid="bind-error">
          {error}
        </View>
      )}
      {state === 'done' ? (
        <View className="card" data-testid="bind-done">
          <View className="ok-text card-title">绑定成功</View>
          {wechatPhone ? (
            <View data-testid="bind-phone">
              <View className="row">
                <Text>微信手机号</Text>
                <Text>{masked(wechatPhone)}</Text>
              </View>
              <View className="row">
                <Text>账号手机号</Text>
                <Text>{accountPhone ? masked(accountPhone) : '未填写'}</Text>
              </View>
              {same ? (
                <View className="ok-text">两个号码一致。</View>
              ) : (
                <View>
                  <View className="warn-text" data-testid="bind-phone-differs">
                    {accountPhone
                      ? '微信手机号与账号手机号不一致，请确认这是你本人的微信。'
                      : '账号还没有手机号，可以使用微信手机号。'}
                  </View>
                  <View className="actions">
                    <Button size="small" onClick={() => void usePhone(digits(wechatPhone))}>
                      用微信手机号更新账号
                    </Button>
                  </View>
                </View>
              )}
            </View>
          ) : (
            <View className="muted">微信没有提供手机号。</View>
          )}
          <View className="actions">
            <Button type="primary" block onClick={() => go('home')}>
              进入首页
            </Button>
          </View>
        </View>
      ) : (
        <View className="card">
          <View className="actions">
            <PhoneButton
              code={() => code.current ?? wechatCode()}
              disabled={state === 'binding'}
              onPhone={(d) => void bind(d)}
              onRefused={() => setError('没有取得手机号授权，未绑定。需要绑定时请再点一次并选择“允许”。')}
            >
              {state === 'binding' ? '正在绑定…' : already ? '更换为当前微信' : '授权手机号并绑定微信'}
            </PhoneButton>
            <Button block onClick={() => go('home')}>
              暂不绑定
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}
