import { useState } from 'react';
import { View, Text, Input } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { Button } from '../../ui/nutui';
import { fetchProfile, loginWithPassword } from '../../api/accounts';
import { loginWithWeChat } from '../../api/relogin';
import { userMessage } from '../../api/errors';
import { setWechatAutoLogin } from '../../api/session';
import { go, returnTo } from '../../routes';
import './index.css';

/** Sign-in: user name + password, or WeChat alone once the account is bound. */
export default function LoginPage() {
  const { reason, back } = useRouter().params as { reason?: string; back?: string };
  const returnUrl = back ? decodeURIComponent(back) : undefined;
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'password' | 'wechat' | null>(null);
  const [error, setError] = useState<string>();

  const submit = async () => {
    if (busy) return;
    if (!name.trim() || !password) {
      setError('请输入用户名和密码');
      return;
    }
    setBusy('password');
    setError(undefined);
    try {
      await loginWithPassword(name.trim(), password);
      const profile = await fetchProfile();
      if (returnUrl) returnTo(returnUrl);
      else if (profile.Usr_WeChat_Bound) go('home');
      else go('bind');
    } catch (err) {
      setError(userMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const wechat = async () => {
    if (busy) return;
    setBusy('wechat');
    setError(undefined);
    try {
      // The user asked for WeChat: silent renewals through it are allowed again.
      setWechatAutoLogin(true);
      await loginWithWeChat();
      returnTo(returnUrl);
    } catch (err) {
      setError(userMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <View className="page login">
      <View className="login-brand">
        <Text className="login-title">能管通</Text>
        <Text className="muted">工厂能源管理</Text>
      </View>
      {reason === 'expired' && (
        <View className="card notice-warning" data-testid="login-reason">
          {`登录已过期，请重新登录${returnUrl ? '，登录后回到刚才的页面' : ''}。`}
        </View>
      )}
      <View className="card">
        <View className="field">
          <View className="field-label">用户名</View>
          <Input
            className="field-input"
            data-testid="login-name"
            value={name}
            placeholder="请输入用户名"
            onInput={(e) => setName(e.detail.value)}
          />
        </View>
        <View className="field">
          <View className="field-label">密码</View>
          <Input
            className="field-input"
            data-testid="login-password"
            password
            value={password}
            placeholder="请输入密码"
            onInput={(e) => setPassword(e.detail.value)}
            onConfirm={() => void submit()}
          />
        </View>
        {error && (
          <View className="field-error" data-testid="login-error">
            {error}
          </View>
        )}
        <View className="actions">
          <Button
            type="primary"
            block
            loading={busy === 'password'}
            disabled={busy !== null}
            onClick={() => void submit()}
          >
            登录
          </Button>
        </View>
      </View>
      <View className="card">
        <Text className="muted">已绑定微信的账号可直接登录</Text>
        <View className="actions">
          <Button block loading={busy === 'wechat'} disabled={busy !== null} onClick={() => void wechat()}>
            微信一键登录
          </Button>
        </View>
      </View>
      <View className="login-register">
        <Text className="muted">还没有账号？</Text>
        <Text className="link" data-testid="register-link" onClick={() => go('register')}>
          注册新组织
        </Text>
      </View>
      <View className="login-register">
        <Text className="link" data-testid="driver-link" onClick={() => go('driverPay')}>
          我是车主，支付充电费用
        </Text>
      </View>
    </View>
  );
}
