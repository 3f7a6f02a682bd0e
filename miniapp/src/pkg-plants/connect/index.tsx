import { useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import type { PvConnectionItem } from '@wattdesk/shared';
import { Button } from '../../ui/nutui';
import {
  connectWithAccount,
  disconnect,
  fetchConnection,
  finishAuthorize,
  startAuthorize,
} from '../../api/plants';
import { userMessage } from '../../api/errors';
import { readSession } from '../../api/session';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { TextField } from '../../components/Field';
import { authorizeReturnUrl, openAuthorize } from '../../platform/authorize';
import { go } from '../../routes';
import { connectionLines, REGIONS } from '../connection';

type Notice = { ok: boolean; text: string };

const connectedText = (c: PvConnectionItem) =>
  `已连接 iSolarCloud${c.Region_Name ? `（${c.Region_Name}）` : ''}，共 ${c.Plant_Count} 座电站`;

/** Back from iSolarCloud with `?Ticket=…&code=…` (H5): finishes the connection with the session. */
function useReturn(ticket: string | undefined, code: string | undefined, done: (n: Notice) => void) {
  const [busy, setBusy] = useState(!!(ticket && code));
  useEffect(() => {
    if (!ticket || !code) return;
    finishAuthorize(ticket, code)
      .then((c) => done({ ok: true, text: connectedText(c) }))
      .catch((err) => done({ ok: false, text: `授权未完成：${userMessage(err)}` }))
      .finally(() => setBusy(false));
  }, [ticket, code]);
  return busy;
}

/** Admins: connect the organization to iSolarCloud (authorization, or account and password), or disconnect. */
export default function ConnectPage() {
  if (readSession()?.role !== 'admin') {
    return (
      <View className="page">
        <View className="card empty" data-testid="connect-not-admin">
          <Text className="muted">只有管理员可以连接 iSolarCloud 账号</Text>
        </View>
      </View>
    );
  }
  return <Connect />;
}

function Connect() {
  const params = useRouter().params as { Ticket?: string; code?: string };
  const [notice, setNotice] = useState<Notice>();
  const connection = useRemote(fetchConnection, 'pv-connection', { pullToRefresh: false });
  const finishing = useReturn(params.Ticket, params.code, (n) => {
    setNotice(n);
    void connection.reload();
  });
  const [region, setRegion] = useState(1);
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ account?: string; password?: string }>({});
  const [busy, setBusy] = useState<'authorize' | 'login' | 'disconnect'>();
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const authorizing = useRef(false);

  useDidShow(() => {
    // Back from the web view (weapp): the BFF's callback page may have connected the organization.
    if (!authorizing.current) return;
    authorizing.current = false;
    void fetchConnection()
      .then((c) => {
        if (c.Connected) setNotice({ ok: true, text: connectedText(c) });
        return connection.reload();
      })
      .catch(() => connection.reload());
  });

  const run = async (kind: NonNullable<typeof busy>, work: () => Promise<void>) => {
    if (busy) return;
    setBusy(kind);
    setNotice(undefined);
    try {
      await work();
    } catch (err) {
      setNotice({ ok: false, text: userMessage(err) });
    } finally {
      setBusy(undefined);
    }
  };

  const authorize = () =>
    run('authorize', async () => {
      const a = await startAuthorize(region, authorizeReturnUrl());
      authorizing.current = true;
      openAuthorize(a.Authorize_Url);
    });

  const login = () => {
    const e = {
      account: account.trim() ? undefined : '请填写 iSolarCloud 账号',
      password: password ? undefined : '请填写密码',
    };
    setErrors(e);
    if (e.account || e.password) return;
    void run('login', async () => {
      const c = await connectWithAccount(region, account.trim(), password);
      setPassword('');
      setNotice({ ok: true, text: connectedText(c) });
      await connection.reload();
    });
  };

  const unlink = () =>
    run('disconnect', async () => {
      await disconnect();
      setConfirmDisconnect(false);
      setNotice({ ok: true, text: '已断开 iSolarCloud 连接，电站数据不再同步' });
      await connection.reload();
    });

  const c = connection.data;
  return (
    <View className="page">
      {finishing && (
        <View className="card" data-testid="connect-finishing">
          <Text className="muted">正在完成 iSolarCloud 授权…</Text>
        </View>
      )}
      {notice && (
        <View className={`card ${notice.ok ? 'notice-ok' : 'notice-error'}`} data-testid="connect-notice">
          <View>{notice.text}</View>
          {notice.ok && (
            <View className="actions">
              <Button size="small" type="primary" onClick={() => go('plants')}>
                查看电站
              </Button>
            </View>
          )}
        </View>
      )}
      <StateView
        loading={connection.loading}
        error={connection.error}
        onRetry={() => void connection.reload()}
        skeletonRows={4}
      >
        {c && (
          <View className="card" data-testid="connect-status">
            <View className="card-title">当前连接</View>
            <Text className={c.Connected ? 'ok-text' : 'warn-text'}>{c.Status_Text}</Text>
            {connectionLines(c).map(([label, value]) => (
              <View className="row" key={label}>
                <Text className="muted">{label}</Text>
                <Text>{value}</Text>
              </View>
            ))}
            {c.Connected === 1 &&
              (confirmDisconnect ? (
                <View data-testid="connect-confirm-disconnect">
                  <View className="warn-text">断开后将删除保存的授权，电站数据不再同步。确定断开吗？</View>
                  <View className="actions">
                    <Button size="small" onClick={() => setConfirmDisconnect(false)}>
                      取消
                    </Button>
                    <Button
                      size="small"
                      type="warning"
                      loading={busy === 'disconnect'}
                      disabled={!!busy}
                      onClick={() => void unlink()}
                    >
                      确认断开
                    </Button>
                  </View>
                </View>
              ) : (
                <Text
                  className="link"
                  data-testid="connect-disconnect"
                  onClick={() => setConfirmDisconnect(true)}
                >
                  断开连接
                </Text>
              ))}
          </View>
        )}
      </StateView>
      <View className="card" data-testid="connect-region">
        <View className="card-title">iSolarCloud 区域</View>
        <View className="actions">
          {REGIONS.map((r) => (
            <Button
              key={r.value}
              size="small"
              type={r.value === region ? 'primary' : 'default'}
              onClick={() => setRegion(r.value)}
            >
              {r.label}
            </Button>
          ))}
        </View>
        <View className="field-hint">中国大陆的电站选“中国”；区域不对时无法登录</View>
      </View>
      <View className="card" data-testid="connect-oauth">
        <View className="card-title">授权登录（推荐）</View>
        <Text className="muted">将打开 iSolarCloud 页面：登录电站业主账号并同意授权后自动返回。</Text>
        <View className="actions">
          <Button
            type="primary"
            loading={busy === 'authorize'}
            disabled={!!busy || finishing}
            onClick={() => void authorize()}
          >
            {c?.Connected ? '重新授权' : '前往 iSolarCloud 授权'}
          </Button>
        </View>
      </View>
      <View className="card" data-testid="connect-login">
        <View className="card-title">账号密码登录</View>
        <Text className="muted">适用于尚未开通授权登录的账号；密码加密保存，仅用于自动重新登录。</Text>
        <TextField
          label="账号"
          value={account}
          error={errors.account}
          testId="connect-account"
          placeholder="iSolarCloud 账号"
          onChange={setAccount}
        />
        <TextField
          label="密码"
          value={password}
          password
          error={errors.password}
          testId="connect-password"
          placeholder="iSolarCloud 密码"
          onChange={setPassword}
        />
        <View className="actions">
          <Button loading={busy === 'login'} disabled={!!busy || finishing} onClick={login}>
            用账号密码连接
          </Button>
        </View>
      </View>
    </View>
  );
}
