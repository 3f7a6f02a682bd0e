import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import { Button } from '../../ui/nutui';
import { loginWithPassword, registerOrganization } from '../../api/accounts';
import { TextField } from '../../components/Field';
import { errorsFrom, noErrors, type FormErrors } from '../../api/form-errors';
import { setWechatAutoLogin } from '../../api/session';
import { go } from '../../routes';

const FIELDS = ['Usr_Name', 'Usr_Password', 'Usr_Email', 'Usr_Company'] as const;
type Form = Record<(typeof FIELDS)[number] | 'confirm', string>;

/** Checks what the phone can check before anything is sent (the BFF checks again and names the field). */
function check(f: Form): FormErrors {
  const fields: Record<string, string> = {};
  const name = f.Usr_Name.trim();
  if (name.length < 3 || name.length > 32) fields.Usr_Name = '用户名需 3–32 个字符';
  else if (!/^[A-Za-z0-9_\-.@\u4e00-\u9fa5]+$/.test(name))
    fields.Usr_Name = '用户名只能包含中英文、数字和 _ - . @';
  if (f.Usr_Password.length < 8) fields.Usr_Password = '密码至少 8 位';
  if (f.confirm !== f.Usr_Password) fields.confirm = '两次输入的密码不一致';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.Usr_Email.trim())) fields.Usr_Email = '邮箱格式不正确';
  if (f.Usr_Company.trim().length > 64) fields.Usr_Company = '公司名称最多 64 个字符';
  return { fields };
}

/** 1.3: registers a new organization with the user as its admin, signs in, and opens the setup path. */
export default function RegisterPage() {
  const [form, setForm] = useState<Form>({
    Usr_Name: '',
    Usr_Password: '',
    confirm: '',
    Usr_Email: '',
    Usr_Company: '',
  });
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async () => {
    if (busy) return;
    const checked = check(form);
    setErrors(checked);
    if (Object.keys(checked.fields).length) return;
    setBusy(true);
    try {
      await registerOrganization({
        Usr_Name: form.Usr_Name.trim(),
        Usr_Password: form.Usr_Password,
        Usr_Email: form.Usr_Email.trim(),
        Usr_Company: form.Usr_Company.trim() || undefined,
      });
      setWechatAutoLogin(true);
      await loginWithPassword(form.Usr_Name.trim(), form.Usr_Password);
      go('setup');
    } catch (err) {
      setErrors(errorsFrom(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="page">
      <View className="card">
        <View className="card-title">注册新组织</View>
        <Text className="muted">注册者成为该组织的管理员，之后可在手机上添加部门、机器、仪表和设备。</Text>
      </View>
      <View className="card">
        <TextField
          label="用户名"
          required
          hint="3–32 个字符：中英文、数字或 _ - . @"
          value={form.Usr_Name}
          error={errors.fields.Usr_Name}
          testId="reg-name"
          onChange={set('Usr_Name')}
        />
        <TextField
          label="密码"
          required
          password
          hint="至少 8 位"
          value={form.Usr_Password}
          error={errors.fields.Usr_Password}
          testId="reg-password"
          onChange={set('Usr_Password')}
        />
        <TextField
          label="确认密码"
          required
          password
          placeholder="再输入一次密码"
          value={form.confirm}
          error={errors.fields.confirm}
          testId="reg-confirm"
          onChange={set('confirm')}
        />
        <TextField
          label="邮箱"
          required
          hint="用于找回密码，例如 name@example.com"
          value={form.Usr_Email}
          error={errors.fields.Usr_Email}
          testId="reg-email"
          onChange={set('Usr_Email')}
        />
        <TextField
          label="公司名称"
          hint="选填，最多 64 个字符"
          value={form.Usr_Company}
          error={errors.fields.Usr_Company}
          testId="reg-company"
          onChange={set('Usr_Company')}
        />
        {errors.form && (
          <View className="field-error" data-testid="reg-error">
            {errors.form}
          </View>
        )}
        <View className="actions">
          <Button type="primary" block loading={busy} disabled={busy} onClick={() => void submit()}>
            注册并登录
          </Button>
        </View>
      </View>
    </View>
  );
}
