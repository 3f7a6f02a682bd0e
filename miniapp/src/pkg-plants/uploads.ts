import {
  PRP_OPERATION_NAMES,
  type PrpOperationResult,
  type PrpOperationType,
  type PrpUploadRecord,
} from '@wattdesk/shared';

/** The operations whose last result the card shows, in this order (3 = the collected data). */
export const OPERATIONS: PrpOperationType[] = [3, 1, 2];

/** What the provincial upload card shows: one line per operation, the day's exchanges and failures. */
export interface UploadStatus {
  operations: { type: PrpOperationType; name: string; text: string; failed: boolean }[];
  /** Exchanges in the window. */
  attempts: number;
  /** How many of them were read (the newest; all of them unless there were more than a page). */
  read: number;
  /** Failed exchanges among those read, newest first. */
  failures: PrpUploadRecord[];
  lastUpload: PrpUploadRecord | null;
}

const shortTime = (t: string) => t.slice(5, 16);

/** One operation's line: "成功 · 12-01 01:05", "失败 · …（连续失败 2 次）", "尚未进行"; plus what waits. */
export function operationText(r: PrpOperationResult | null): string {
  if (!r) return '尚未进行';
  // Never ran yet, but queued (the BFF answers Result 0 without a time).
  if (!r.Operation_Time) return r.Pending > 0 ? `等待上传（${r.Pending} 项）` : '尚未进行';
  const head = r.Result === 1 ? '成功' : '失败';
  const streak = r.Result !== 1 && r.Failures > 1 ? `（连续失败 ${r.Failures} 次）` : '';
  const pending = r.Pending > 0 ? `，${r.Pending} 项待上传或重试` : '';
  return `${head} · ${shortTime(r.Operation_Time)}${streak}${pending}`;
}

/** The name of what an exchange was about: the collect item and its period, or the operation. */
export function exchangeName(u: PrpUploadRecord): string {
  if (u.Item_Name) return `${u.Item_Name}${u.Period ? `（${u.Period.slice(0, 10)}）` : ''}`;
  return PRP_OPERATION_NAMES[u.Operation_Type as PrpOperationType] ?? '上传';
}

/** Newest first: by upload time, then by id (later rows of the same second are later exchanges). */
const newestFirst = (a: PrpUploadRecord, b: PrpUploadRecord) =>
  a.Upload_Time === b.Upload_Time ? b.id - a.id : a.Upload_Time < b.Upload_Time ? 1 : -1;

/** The card's figures from 5.8's last results (by OPERATIONS) and 5.7's newest exchanges of the window. */
export function uploadStatus(
  results: (PrpOperationResult | null)[],
  uploads: { total: number; newest: PrpUploadRecord[] },
): UploadStatus {
  const byTime = [...uploads.newest].sort(newestFirst);
  return {
    operations: OPERATIONS.map((type, i) => ({
      type,
      name: PRP_OPERATION_NAMES[type],
      text: operationText(results[i] ?? null),
      failed: !!results[i]?.Operation_Time && results[i]?.Result === 0,
    })),
    attempts: uploads.total,
    read: byTime.length,
    failures: byTime.filter((u) => u.Result !== 1),
    lastUpload: byTime[0] ?? null,
  };
}

/** True when there is nothing to show yet (no operation ever ran, no exchange in the window). */
export const nothingYet = (s: UploadStatus) =>
  s.attempts === 0 && s.operations.every((o) => o.text === operationText(null));
