import { useRef, useState } from 'react';
import type { BmsControlData } from '@wattdesk/shared';
import { fetchBms, sendBmsCommand } from '../../api/devices';
import { ApiError, userMessage } from '../../api/errors';
import { judgeBmsCommand, newIdempotencyKey, type BmsCommandCode, type Verdict } from '../../domain/devices';

/** Outcome of the last command, shown under the controls. */
export type CommandOutcome =
  | ({ kind: 'done'; command: BmsCommandCode; readback?: BmsControlData } & Verdict)
  | { kind: 'failed'; command: BmsCommandCode; message: string }
  /** No answer: the device may or may not have executed it; the command record will say. */
  | { kind: 'unknown'; command: BmsCommandCode; message: string };

/** A call whose answer never came (timeout, dropped connection, the device's deadline passed). */
export function isUnanswered(err: unknown): boolean {
  return err instanceof ApiError && (err.kind === 'timeout' || err.kind === 'network' || err.code === 100007);
}

/**
 * A BMS command from confirmation to read-back. The idempotency key is made when the sheet opens
 * (one per intent), and a second tap while a send is in flight is ignored, so a command goes out once.
 */
export function useBmsCommand(uid: string, onDone: () => void) {
  const [pending, setPending] = useState<{ command: BmsCommandCode; key: string } | null>(null);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<CommandOutcome>();
  const inFlight = useRef(false);

  const ask = (command: BmsCommandCode) => {
    if (inFlight.current) return;
    setPending({ command, key: newIdempotencyKey() });
  };

  const cancel = () => {
    if (!inFlight.current) setPending(null);
  };

  const confirm = async () => {
    if (!pending || inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    const { command, key } = pending;
    try {
      await sendBmsCommand(uid, command, key);
      // The BFF stores the state it read back right after the command; GET answers exactly that.
      const readback = await fetchBms(uid).catch(() => undefined);
      setOutcome({ kind: 'done', command, readback, ...judgeBmsCommand(command, readback) });
    } catch (err) {
      if (isUnanswered(err))
        setOutcome({
          kind: 'unknown',
          command,
          message:
            '没有收到设备的应答，无法确定设备是否已执行。请在命令记录中查看结果，或同步状态后再决定是否重试。',
        });
      else setOutcome({ kind: 'failed', command, message: userMessage(err) });
    } finally {
      inFlight.current = false;
      setSending(false);
      setPending(null);
      onDone();
    }
  };

  return { pending, sending, outcome, ask, cancel, confirm };
}
