import { fireEvent, render, screen } from '@testing-library/react';
import { AvatarButton } from './AvatarButton.h5';

test('in H5 a file input stands in for the avatar picker and hands over the chosen file', () => {
  const picked: unknown[] = [];
  render(<AvatarButton onPicked={(f) => picked.push(f)}>选择头像</AvatarButton>);
  const input = screen.getByTestId('avatar-file').querySelector('input[type="file"]')!;
  const file = new File([new Uint8Array([0x89, 0x50])], 'a.png', { type: 'image/png' });
  fireEvent.change(input, { target: { files: [file] } });
  expect(picked).toEqual([file]);
});
