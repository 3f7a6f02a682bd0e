import { useEffect, useState } from 'react';
import { View, Input } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { UserProfile } from '@wattdesk/shared';
import { Button, Cell, CellGroup, Picker } from '../../ui/nutui';
import { fetchProfile, fetchProvinces, saveProfile } from '../../api/accounts';
import { userMessage } from '../../api/errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';

/** 1.4/1.5 profile with a province/city picker fed by 9.2. */
export default function ProfilePage() {
  const remote = useRemote(
    async () => ({ profile: await fetchProfile(), provinces: await fetchProvinces() }),
    'p',
    {
      pullToRefresh: false,
    },
  );
  const [form, setForm] = useState<UserProfile>();
  const [picking, setPicking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => setForm(remote.data?.profile), [remote.data]);

  const options = (remote.data?.provinces ?? []).map((p) => ({
    label: p.Province_Name,
    value: p.Province_Name,
    children: p.City_List.map((c) => ({ label: c.City_Name, value: c.City_Name })),
  }));

  const save = async () => {
    if (!form || saving) return;
    setSaving(true);
    setError(undefined);
    try {
      const saved = await saveProfile({
        id: form.id,
        Usr_Name: form.Usr_Name,
        Usr_Email: form.Usr_Email,
        Usr_Phone: form.Usr_Phone || undefined,
        Usr_Company: form.Usr_Company,
        Usr_Province: form.Usr_Province,
        Usr_City: form.Usr_City,
        Usr_Detail_Addr: form.Usr_Detail_Addr,
      });
      setForm(saved);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (err) {
      setError(userMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const text = (label: string, key: 'Usr_Email' | 'Usr_Phone' | 'Usr_Company' | 'Usr_Detail_Addr') => (
    <View className="field">
      <View className="field-label">{label}</View>
      <Input
        className="field-input"
        value={form?.[key] ?? ''}
        onInput={(e) => setForm((f) => (f ? { ...f, [key]: e.detail.value } : f))}
      />
    </View>
  );

  return (
    <View className="page">
      <StateView loading={remote.loading} error={remote.error} onRetry={() => void remote.reload()}>
        {form && (
          <View className="card">
            {text('邮箱', 'Usr_Email')}
            {text('手机', 'Usr_Phone')}
            {text('公司', 'Usr_Company')}
            <CellGroup>
              <Cell
                title="省 / 市"
                extra={form.Usr_Province ? `${form.Usr_Province} ${form.Usr_City}` : '请选择 ›'}
                onClick={() => setPicking(true)}
              />
            </CellGroup>
            {text('详细地址', 'Usr_Detail_Addr')}
            {error && <View className="field-error">{error}</View>}
            <View className="actions">
              <Button type="primary" block loading={saving} disabled={saving} onClick={() => void save()}>
                保存
              </Button>
            </View>
            <Picker
              visible={picking}
              title="选择省市"
              options={[options]}
              value={[form.Usr_Province, form.Usr_City]}
              onClose={() => setPicking(false)}
              onConfirm={(_, values) => {
                setForm((f) =>
                  f ? { ...f, Usr_Province: String(values[0] ?? ''), Usr_City: String(values[1] ?? '') } : f,
                );
                setPicking(false);
              }}
            />
          </View>
        )}
      </StateView>
    </View>
  );
}
