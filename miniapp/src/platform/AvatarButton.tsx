import { Button } from '@tarojs/components';
import type { PickedImage } from './avatar';

export interface AvatarButtonProps {
  disabled?: boolean;
  onPicked: (image: PickedImage) => void;
  children: string;
}

/** WeChat's avatar picker (`open-type="chooseAvatar"`): answers a temp file of the picked picture. */
export function AvatarButton({ disabled, onPicked, children }: AvatarButtonProps) {
  return (
    <Button
      openType="chooseAvatar"
      disabled={disabled}
      onChooseAvatar={(e) => {
        const url = (e.detail as { avatarUrl?: string }).avatarUrl;
        if (url) onPicked(url);
      }}
    >
      {children}
    </Button>
  );
}
