import { Button } from '@tarojs/components';

export interface PhoneButtonProps {
  disabled?: boolean;
  /** The login code the binding will send (the simulation in H5 encrypts with its session). */
  code: () => Promise<string>;
  /** The encrypted phone number WeChat hands over after the user allows it. */
  onPhone: (data: { encryptedData: string; iv: string }) => void;
  onRefused: () => void;
  children: string;
}

/**
 * WeChat's phone-number button (`open-type="getPhoneNumber"`): the user taps, WeChat asks, and the
 * answer carries `encryptedData` + `iv` sealed with the session of the latest `wx.login`.
 */
export function PhoneButton({ disabled, onPhone, onRefused, children }: PhoneButtonProps) {
  // WeChat seals the number with the session of the latest wx.login, which is the bind's code.
  return (
    <Button
      className="wd-primary-button"
      openType="getPhoneNumber"
      disabled={disabled}
      onGetPhoneNumber={(e) => {
        const d = e.detail as { encryptedData?: string; iv?: string };
        if (d.encryptedData && d.iv) onPhone({ encryptedData: d.encryptedData, iv: d.iv });
        else onRefused();
      }}
    >
      {children}
    </Button>
  );
}
