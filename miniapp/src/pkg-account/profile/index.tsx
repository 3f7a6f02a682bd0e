import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { phoneNumber, type UserProfile } from '@wattdesk/shared';
import { Button, Cell, CellGroup, Picker } from '../../ui/nutui';
import { fetchProfile, fetchProvinces, saveProfile } from '../../api/accounts';
import { errorsFrom, noErrors, type FormErrors } from '../../api/form-errors';
import { useRemote } from '../../hooks/useRemote';
import { StateView } from '../../components/StateView';
import { TextField } from '../../components/Field';
import { WeChatIdentity } from './WeChatIdentity';

/** 1.4/1.5 profile with a province/city picker fed by 9.2, and the bound WeChat's avatar and nickname. */
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
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  useEffect(() => setForm(remote.data?.profile), [remote.data]);

  const options = (remote.data?.provinces ?? []).map((p) => ({
    label: p.Province_Name,
    value: p.Province_Name,
    children: p.City_List.map((c) => ({ label: c.City_Name, value: c.City_Name })),
  }));

  // The picker opens on a real selection: the saved province and city, or the first of the list.
  const pickerValue = (() => {
    const p = remote.data?.provinces ?? [];
    const province = p.find((x) => x.Province_Name === form?.Usr_Province) ?? p[0];
    if (!province) return [];
    const city = province.City_List.find((c) => c.City_Name === form?.Usr_City) ?? province.City_List[0];
    return city ? [province.Province_Name, city.City_Name] : [province.Province_Name];
  })();

  const save = async () => {
    if (!form || saving) return;
    if (!phoneNumber.safeParse(form.Usr_Phone).success) {
      setErrors({
        fields: {
          Usr_Phone:
            '手机号格式不正确：请填写 11 位手机号（如 13800138000）或带区号的固定电话（如 0755-12345678）',
        },
      });
      return;
    }
    setSaving(true);
    setErrors(noErrors);
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
      setErrors(
        errorsFrom(err, [
          'Usr_Email',
          'Usr_Phone',
          'Usr_Company',
          'Usr_Detail_Addr',
          'Usr_Province',
          'Usr_City',
        ]),
      );
    } finally {
      setSaving(false);
    }
  };

  const text = (
    label: string,
    key: 'Usr_Email' | 'Usr_Phone' | 'Usr_Company' | 'Usr_Detail_Addr',
    hint: string,
  ) => (
    <TextField
      label={label}
      hint={hint}
      value={form?.[key] ?? ''}
      error={errors.fields[key]}
      testId={`profile-${key}`}
      onChange={(v) => setForm((f) => (f ? { ...f, [key]: v } : f))}
    />
  );

  return (
    <View className="page">
      <StateView loading={remote.loading} error={remote.error} onRetry={() => void remote.reload()}>
        {remote.data && (
          <WeChatIdentity
            bound={remote.data.profile.Usr_WeChat_Bound}
            nickName={remote.data.profile.WeChat_Nick_Name}
            avatarUrl={remote.data.profile.WeChat_Avatar_Url}
          />
        )}
        {form && (
          <View className="card">
            {text('邮箱', 'Usr_Email', '例如 name@example.com')}
            {text('手机', 'Usr_Phone', '11 位手机号，或带区号的固定电话；可不填')}
            {text('公司', 'Usr_Company', '最多 64 个字符')}
            <CellGroup>
              <Cell
                title="省 / 市"
                extra={form.Usr_Province ? `${form.Usr_Province} ${form.Usr_City}` : '请选择 ›'}
                onClick={() => setPicking(true)}
              />
            </CellGroup>
            {text('详细地址', 'Usr_Detail_Addr', '最多 128 个字符')}
            {errors.form && <View className="field-error">{errors.form}</View>}
            <View className="actions">
              <Button type="primary" block loading={saving} disabled={saving} onClick={() => void save()}>
                保存
              </Button>
            </View>
            <Picker
              visible={picking}
              title="选择省市"
              options={[options]}
              value={pickerValue}
              defaultValue={pickerValue}
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
