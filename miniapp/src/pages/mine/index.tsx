import { View, Text } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { Button, Cell, CellGroup } from '../../ui/nutui';
import { fetchProfile, logout } from '../../api/accounts';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { setWechatAutoLogin } from '../../api/session';
import { go } from '../../routes';

const roleNames = { admin: '管理员', operator: '操作员', viewer: '只读用户' } as const;

/** The signed-in user: profile, WeChat binding, sign-out. */
export default function MinePage() {
  const profile = useRemote(fetchProfile, 'profile', { pullToRefresh: false });
  useDidShow(() => void profile.reload());
  const p = profile.data;
  return (
    <View className="page">
      <StateView loading={profile.loading} error={profile.error} onRetry={() => void profile.reload()}>
        {p && (
          <CellGroup>
            <Cell title="用户名" extra={p.Usr_Name} />
            <Cell title="角色" extra={roleNames[p.Usr_Role]} />
            <Cell title="公司" extra={p.Usr_Company || '未填写'} />
            <Cell title="所在地区" extra={p.Usr_Province ? `${p.Usr_Province} ${p.Usr_City}` : '未填写'} />
            <Cell title="个人资料" extra="修改 ›" onClick={() => go('profile')} />
            <Cell
              title="微信"
              extra={<Text data-testid="wechat-bound">{p.Usr_WeChat_Bound ? '已绑定' : '未绑定 ›'}</Text>}
              onClick={() => !p.Usr_WeChat_Bound && go('bind')}
            />
          </CellGroup>
        )}
      </StateView>
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
