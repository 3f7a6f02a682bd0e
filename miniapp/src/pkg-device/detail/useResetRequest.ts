import { useEffect } from 'react';
import { useRouter } from '@tarojs/taro';

/**
 * An alarm's 去复位 opens this page with `action=reset`: the fault-reset confirmation opens at once
 * (the user still sees exactly what will be sent and confirms it).
 */
export function useResetRequest(ask: (command: 1) => void): void {
  const action = useRouter().params.action;
  useEffect(() => {
    if (action === 'reset') ask(1);
  }, [action]);
}
