import type { AvatarButtonProps } from './AvatarButton';

/** The browser has no avatar picker: a file input chooses the picture instead. */
export function AvatarButton({ disabled, onPicked, children }: AvatarButtonProps) {
  return (
    <label className="wd-avatar-file" data-testid="avatar-file">
      {children}
      <input
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        disabled={disabled}
        style={{ display: 'none' }}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onPicked(file);
        }}
      />
    </label>
  );
}
