import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { bindWeChat } from '../../api/accounts';
import { userMessage } from '../../api/errors';
import { wechatCode, wechatLabel, wechatUserInfo } from '../../platform/wechat';
import { go } from '../../routes';

/** 9.1: binds the signed-in account to this WeChat, so that later sign-ins need WeChat alone. */
export default function BindPage() {
  const [state, setState] = useState<'idle' | 'binding' | 'done'>('idle');
  const [error, setError] = useState<string>();
  // The login code is fetched before the tap: WeChat opens the user-info prompt only when asked straight
  // from the tap, and encrypts with the session of the latest login.
  const code = useRef<Promise<string> | null>(null);
  const freshCode = () => {
    code.current = wechatCode();
    code.current.catch(() => undefined);
  };
  useEffect(freshCode, []);

  const bind = async () => {
    if (state !== 'idle' || !code.current) return;
    const pendingCode = code.current;
    const info = wechatUserInfo(pendingCode); // first thing in the tap handler
    setState('binding');
    setError(undefined);
    try {
      const { encryptedData, iv } = await info;
      await bindWeChat({ code: await pendingCode, encryptedData, iv });
      setState('done');
    } catch (err) {
      setError(
        err instanceof Error && err.name !== 'ApiError' ? '未能取得微信授权，请重试' : userMessage(err),
      );
      setState('idle');
      freshCode(); // a code is good for one exchange only
    }
  };

  return (
    <View className="page">
      <View className="card">
        <View className="card-title">绑定{wechatLabel}</View>
        <Text className="muted">绑定后，下次打开小程序即可用微信直接登录，无需输入密码。</Text>
        {error && (
          <View className="field-error" data-testid="bind-error">
            {error}
          </View>
        )}
        {state === 'done' ? (
          <View data-testid="bind-done">
            <View className="ok-text">绑定成功</View>
            <View className="actions">
              <Button type="primary" block onClick={() => go('home')}>
                进入首页
              </Button>
            </View>
          </View>
        ) : (
          <View className="actions">
            <Button
              type="primary"
              block
              loading={state === 'binding'}
              disabled={state === 'binding'}
              onClick={() => void bind()}
            >
              绑定微信
            </Button>
            <Button block onClick={() => go('home')}>
              暂不绑定
            </Button>
          </View>
        )}
      </View>
    </View>
  );
}
