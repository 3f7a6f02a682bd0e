import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Button, Cell, CellGroup } from '../../ui/nutui';
import { fetchProfile, logout, unbindWeChat } from '../../api/accounts';
import { userMessage } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { setWechatAutoLogin } from '../../api/session';
import { go } from '../../routes';
import { PushQuotaCell } from '../../components/PushQuotaCell';

const roleNames = { admin: '管理员', operator: '操作员', viewer: '只读用户' } as const;

/** The signed-in user: profile, WeChat binding (bind, replace, unbind), setup for admins, sign-out. */
export default function MinePage() {
  const profile = useRemote(fetchProfile, 'profile', { pullToRefresh: false });
  useDidShow(() => void profile.reload());
  const [confirmUnbind, setConfirmUnbind] = useState(false);
  const [unbinding, setUnbinding] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const p = profile.data;

  const unbind = async () => {
    if (unbinding) return;
    setUnbinding(true);
    try {
      await unbindWeChat();
      // That WeChat can no longer sign in: no silent attempt with it either.
      setWechatAutoLogin(false);
      setMessage({ ok: true, text: '已解除微信绑定。下次请用账号密码登录，或重新绑定微信。' });
      setConfirmUnbind(false);
      void profile.reload();
    } catch (err) {
      setMessage({ ok: false, text: userMessage(err) });
    } finally {
      setUnbinding(false);
    }
  };

  return (
    <View className="page">
      <StateView
        loading={profile.loading}
        error={profile.error}
        onRetry={() => void profile.reload()}
        skeletonRows={6}
      >
        {p && (
          <>
            <CellGroup>
              <Cell title="用户名" extra={p.Usr_Name} />
              <Cell title="角色" extra={roleNames[p.Usr_Role]} />
              <Cell title="公司" extra={p.Usr_Company || '未填写'} />
              <Cell title="手机" extra={p.Usr_Phone || '未填写'} />
              <Cell title="所在地区" extra={p.Usr_Province ? `${p.Usr_Province} ${p.Usr_City}` : '未填写'} />
              <Cell title="个人资料" extra="修改 ›" onClick={() => go('profile')} />
              <Cell
                title="微信"
                extra={
                  <Text data-testid="wechat-bound">
                    {p.Usr_WeChat_Bound ? '已绑定 · 更换 ›' : '未绑定 ›'}
                  </Text>
                }
                onClick={() => go('bind')}
              />
              {p.Usr_Role === 'admin' && (
                <Cell
                  title="开始设置"
                  description="添加部门、机器、仪表、设备和费率"
                  extra="›"
                  data-testid="mine-setup"
                  onClick={() => go('setup')}
                />
              )}
              <PushQuotaCell />
            </CellGroup>
            {p.Usr_WeChat_Bound && (
              <View className="card" data-testid="unbind-card">
                {confirmUnbind ? (
                  <>
                    <View className="warn-text">解除后，这个微信不能再直接登录本账号。确定解除吗？</View>
                    <View className="actions">
                      <Button size="small" disabled={unbinding} onClick={() => setConfirmUnbind(false)}>
                        取消
                      </Button>
                      <Button
                        size="small"
                        type="warning"
                        loading={unbinding}
                        disabled={unbinding}
                        onClick={() => void unbind()}
                      >
                        确认解除绑定
                      </Button>
                    </View>
                  </>
                ) : (
                  <Text className="link" data-testid="unbind" onClick={() => setConfirmUnbind(true)}>
                    解除微信绑定
                  </Text>
                )}
              </View>
            )}
          </>
        )}
      </StateView>
      {message && (
        <View className={`card ${message.ok ? 'notice-ok' : 'notice-error'}`} data-testid="mine-message">
          {message.text}
        </View>
      )}
      <View className="actions">
        <Button
          block
          onClick={() => {
            // Signed out stays signed out: no silent WeChat sign-in until the user taps 微信一键登录.
            setWechatAutoLogin(false);
            void logout().finally(() => go('login', { reason: 'signed-out' }));
          }}
        >
          退出登录
        </Button>
      </View>
    </View>
  );
}
