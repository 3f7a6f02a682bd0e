import { Button } from '../ui/nutui';
import { simulatedPhoneData } from './wechat.h5';
import type { PhoneButtonProps } from './PhoneButton';

/**
 * The browser has no phone-number button: in demo mode the BFF's WeChat simulation encrypts the
 * simulated user's number with the session of a fresh simulated login, as WeChat would.
 */
export function PhoneButton({ disabled, code, onPhone, onRefused, children }: PhoneButtonProps) {
  return (
    <Button
      type="primary"
      block
      disabled={disabled}
      onClick={() => {
        void (async () => {
          try {
            onPhone(await simulatedPhoneData(await code()));
          } catch {
            onRefused();
          }
        })();
      }}
    >
      {children}
    </Button>
  );
}
