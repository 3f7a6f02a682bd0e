import { useEffect, useState } from 'react';
import { Image, Input, View } from '@tarojs/components';
import { saveWeChatNickName, uploadWeChatAvatar } from '../../api/accounts';
import { readSession } from '../../api/session';
import { AvatarButton } from '../../platform/AvatarButton';
import { imageSrc, type PickedImage } from '../../platform/avatar';
import { Field } from '../../components/Field';

export interface WeChatIdentityProps {
  bound: boolean;
  nickName: string;
  avatarUrl: string;
}

type Note = { ok: boolean; text: string } | null;
const failed = (err: unknown) => (err instanceof Error && err.message ? err.message : '保存失败，请稍后再试');

/**
 * The bound WeChat's avatar and nickname, filled in with WeChat's own components: the avatar picker
 * (`open-type="chooseAvatar"`) and the nickname input (`type="nickname"`), each saved at once.
 */
export function WeChatIdentity({ bound, nickName, avatarUrl }: WeChatIdentityProps) {
  const [nick, setNick] = useState(nickName);
  const [saved, setSaved] = useState(nickName);
  const [avatar, setAvatar] = useState(avatarUrl);
  const [src, setSrc] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);

  useEffect(() => {
    let live = true;
    const token = readSession()?.token ?? '';
    if (!avatar) setSrc('');
    else
      imageSrc(avatar, token).then(
        (s) => live && setSrc(s),
        () => live && setSrc(''),
      );
    return () => {
      live = false;
    };
  }, [avatar]);

  if (!bound)
    return (
      <View className="card" data-testid="wechat-identity">
        <View className="card-title">微信头像与昵称</View>
        <View className="muted">绑定微信后可设置头像和昵称</View>
      </View>
    );

  /** Runs one save: busy meanwhile, then the success text or the failure under `failPrefix`. */
  const run = async (task: () => Promise<void>, okText: string, failPrefix: string) => {
    setBusy(true);
    setNote(null);
    try {
      await task();
      setNote({ ok: true, text: okText });
    } catch (err) {
      setNote({ ok: false, text: `${failPrefix}：${failed(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const pickAvatar = (image: PickedImage) =>
    run(
      async () => setAvatar((await uploadWeChatAvatar(image)).WeChat_Avatar_Url),
      '头像已更新',
      '头像上传失败',
    );

  const saveNick = async (value: string) => {
    const next = value.trim();
    setNick(value);
    if (busy || next === saved) return;
    if (!next) {
      setNote({ ok: false, text: '昵称不能为空' });
      return;
    }
    await run(
      async () => {
        const r = await saveWeChatNickName(next);
        setNick(r.WeChat_Nick_Name);
        setSaved(r.WeChat_Nick_Name);
      },
      '昵称已保存',
      '昵称保存失败',
    );
  };

  return (
    <View className="card" data-testid="wechat-identity">
      <View className="card-title">微信头像与昵称</View>
      <View style={{ display: 'flex', alignItems: 'center', gap: '12px', margin: '8px 0' }}>
        {src ? (
          <Image
            src={src}
            mode="aspectFill"
            style={{ width: '64px', height: '64px', borderRadius: '32px', flexShrink: 0 }}
            data-testid="wechat-avatar"
          />
        ) : (
          <View className="muted">未设置头像</View>
        )}
        <AvatarButton disabled={busy} onPicked={(img) => void pickAvatar(img)}>
          {busy ? '上传中…' : '选择头像'}
        </AvatarButton>
      </View>
      <Field label="微信昵称" hint="1–64 个字符，可使用微信昵称">
        <Input
          className="field-input"
          type="nickname"
          value={nick}
          placeholder="请输入昵称"
          data-testid="wechat-nickname"
          onInput={(e) => setNick(e.detail.value)}
          onBlur={(e) => void saveNick(e.detail.value)}
          onConfirm={(e) => void saveNick(e.detail.value)}
        />
      </Field>
      {note && (
        <View className={note.ok ? 'ok-text' : 'field-error'} data-testid="wechat-identity-note">
          {note.text}
        </View>
      )}
    </View>
  );
}
