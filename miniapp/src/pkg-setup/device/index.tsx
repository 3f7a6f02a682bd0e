import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { DeviceItem } from '@wattdesk/shared';
import { Button } from '../../ui/nutui';
import { registerDevice } from '../../api/devices';
import { errorsFrom, noErrors, type FormErrors } from '../../api/form-errors';
import { Field, TextField } from '../../components/Field';
import { kindNames } from '../../domain/devices';
import { go } from '../../routes';

const FIELDS = ['device_uid', 'name', 'kind', 'site'] as const;
const UID = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

type Created = DeviceItem & { secret: string; broker_url?: string | null };

/** Extension POST /devices: registers a gateway or EMS controller and shows its secret this once. */
export default function DeviceSetupPage() {
  const [uid, setUid] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<DeviceItem['kind']>('gateway');
  const [site, setSite] = useState('');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created>();

  const submit = async () => {
    if (busy) return;
    const fields: Record<string, string> = {};
    const u = uid.trim();
    if (!u) fields.device_uid = '请填写设备编号';
    else if (u.length > 64 || !UID.test(u))
      fields.device_uid = '设备编号只能包含字母、数字和 _ . : -，以字母或数字开头，最多 64 个字符';
    if (!name.trim()) fields.name = '请填写设备名称';
    else if (name.trim().length > 64) fields.name = '设备名称最多 64 个字符';
    if (site.trim().length > 64) fields.site = '站点名称最多 64 个字符';
    setErrors({ fields });
    if (Object.keys(fields).length) return;
    setBusy(true);
    try {
      setCreated(await registerDevice({ device_uid: u, name: name.trim(), kind, site: site.trim() }));
    } catch (err) {
      setErrors(errorsFrom(err, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const copy = (text: string) => void Taro.setClipboardData({ data: text });

  if (created)
    return (
      <View className="page">
        <View className="card" data-testid="device-secret">
          <View className="card-title">{`已登记：${created.name}`}</View>
          <View className="card notice-warning">
            密钥只显示这一次，平台只保存它的哈希。请现在把它填入设备；遗失后只能重置密钥。
          </View>
          <View className="field-label">连接地址（MQTT）</View>
          <View className="secret-box" data-testid="device-broker">
            {created.broker_url ?? '平台未启用设备连接，请联系系统管理员'}
          </View>
          <View className="field-label">用户名 / 客户端 ID</View>
          <View className="secret-box">{created.device_uid}</View>
          <View className="field-label">密码（密钥）</View>
          <View className="secret-box" data-testid="device-secret-value">
            {created.secret}
          </View>
          <View className="actions">
            <Button size="small" onClick={() => copy(created.secret)}>
              复制密钥
            </Button>
            {created.broker_url && (
              <Button size="small" onClick={() => copy(created.broker_url!)}>
                复制地址
              </Button>
            )}
          </View>
          <View className="muted">{`设备只能使用 wd/${created.device_uid}/ 下的主题。`}</View>
          <View className="actions">
            <Button
              type="primary"
              block
              onClick={() =>
                go(created.kind === 'gateway' ? 'gateway' : 'device', { uid: created.device_uid })
              }
            >
              我已保存，查看设备
            </Button>
            <Button
              block
              onClick={() => {
                setCreated(undefined);
                setUid('');
                setName('');
              }}
            >
              再登记一台
            </Button>
          </View>
        </View>
      </View>
    );

  return (
    <View className="page">
      <View className="card">
        <Field label="设备类型" required error={errors.fields.kind}>
          <View className="chips">
            {(['gateway', 'ems'] as const).map((k) => (
              <Text key={k} className={`chip${k === kind ? ' chip-on' : ''}`} onClick={() => setKind(k)}>
                {kindNames[k]}
              </Text>
            ))}
          </View>
        </Field>
        <TextField
          label="设备编号"
          required
          hint="设备上配置的唯一编号，例如 gw-plant1-01；字母、数字和 _ . : -"
          value={uid}
          error={errors.fields.device_uid}
          testId="device-uid"
          onChange={setUid}
        />
        <TextField
          label="设备名称"
          required
          hint="例如 一号厂房计量网关，最多 64 个字符"
          value={name}
          error={errors.fields.name}
          testId="device-name"
          onChange={setName}
        />
        <TextField
          label="站点"
          hint="选填，设备列表按站点分组，例如 一号厂房"
          value={site}
          error={errors.fields.site}
          onChange={setSite}
        />
        {errors.form && (
          <View className="field-error" data-testid="device-form-error">
            {errors.form}
          </View>
        )}
        <View className="actions">
          <Button type="primary" block loading={busy} disabled={busy} onClick={() => void submit()}>
            登记并生成密钥
          </Button>
        </View>
      </View>
    </View>
  );
}
