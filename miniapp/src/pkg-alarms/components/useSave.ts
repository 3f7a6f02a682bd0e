import { useState } from 'react';
import Taro from '@tarojs/taro';
import { ApiError, userMessage } from '../../api/errors';
import { fieldOf, type FieldErrors } from '../../domain/alarm-forms';

/**
 * Sending an admin form: a second tap while sending is ignored; a 4103 naming one of the form's fields
 * lands under that input, anything else above the buttons; success goes back to the list.
 */
export function useSave<T extends object>(draft: T) {
  const [errors, setErrors] = useState<FieldErrors<T>>({});
  const [general, setGeneral] = useState<string>();
  const [busy, setBusy] = useState(false);

  const send = async (action: () => Promise<void>, done: string) => {
    if (busy) return;
    setBusy(true);
    setGeneral(undefined);
    try {
      await action();
      void Taro.showToast({ title: done, icon: 'success' });
      void Taro.navigateBack();
    } catch (err) {
      const field = err instanceof ApiError ? fieldOf(draft, err.field) : undefined;
      // Under its own input the message need not name the field again ("Notify_Address: …").
      if (field)
        setErrors({ [field]: userMessage(err).replace(/^[A-Za-z_.]+\s*[:：]\s*/, '') } as FieldErrors<T>);
      else setGeneral(userMessage(err));
    } finally {
      setBusy(false);
    }
  };

  /** Asks before deleting; true when the user confirmed. */
  const confirmDelete = async (what: string): Promise<boolean> => {
    const answer = await Taro.showModal({
      title: `删除${what}`,
      content: `删除后不可恢复，确定删除${what}吗？`,
      confirmText: '删除',
      cancelText: '取消',
    });
    return answer.confirm;
  };

  return { errors, setErrors, general, busy, send, confirmDelete };
}
