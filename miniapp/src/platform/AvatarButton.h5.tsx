import type { AvatarButtonProps } from './AvatarButton';

/** The browser has no avatar picker: a file input chooses the picture instead. */
export function AvatarButton({ disabled, onPicked, children }: AvatarButtonProps) {
  return (
    <label
      data-testid="avatar-file"
      style={{ padding: '6px 12px', border: '1px solid #d0d5dd', borderRadius: '6px', cursor: 'pointer' }}
    >
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
