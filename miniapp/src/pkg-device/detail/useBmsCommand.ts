import { useRef, useState } from 'react';
import type { BmsControlData } from '@wattdesk/shared';
import { fetchBms, sendBmsCommand } from '../../api/devices';
import { userMessage } from '../../api/errors';
import { bmsCommands, newIdempotencyKey, type BmsCommandCode } from '../../domain/devices';

/** Outcome of the last command, shown under the controls. */
export type CommandOutcome =
  | { ok: true; command: BmsCommandCode; message: string; readback?: BmsControlData }
  | { ok: false; command: BmsCommandCode; message: string };

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
      const answer = await sendBmsCommand(uid, command, key);
      // The BFF stores the state it read back right after the command; GET answers exactly that.
      const readback = await fetchBms(uid).catch(() => undefined);
      const message = typeof answer === 'string' && answer ? answer : `${bmsCommands[command].name}已执行`;
      setOutcome({ ok: true, command, message, readback });
    } catch (err) {
      setOutcome({ ok: false, command, message: userMessage(err) });
    } finally {
      inFlight.current = false;
      setSending(false);
      setPending(null);
      onDone();
    }
  };

  return { pending, sending, outcome, ask, cancel, confirm };
}
