import type { OeeRecordItem } from '@wattdesk/shared';
import { minutesBetween, parseWall, type Wall } from '../../domain/periods';

/** Colours of the usual state names; any other state gets one from the palette by its position. */
const COLOURS: Record<string, string> = {
  运行: '#2da44e',
  待机: '#d4a72c',
  停机: '#cf222e',
  计划停机: '#1f6feb',
  离线: '#8c959f',
  未定义: '#d0d7de',
};
const PALETTE = ['#8250df', '#1b7c83', '#bf3989', '#953800'];

export function stateColour(name: string, index: number): string {
  return COLOURS[name] ?? PALETTE[index % PALETTE.length]!;
}

/** One piece of the day's bar: where it sits (percent of the day) and its times. */
export interface BarPiece {
  status: string;
  from: string;
  to: string;
  minutes: number;
  left: number;
  width: number;
}

const hm = (w: Wall) =>
  `${String(Math.floor(w.min / 60)).padStart(2, '0')}:${String(w.min % 60).padStart(2, '0')}`;

/**
 * The bar of a day from 7.5's records: each record lasts until the next one, the last until `until`
 * (now, or the day's end). Positions are shares of the whole day (`dayStart` → `dayEnd`).
 */
export function barPieces(
  records: OeeRecordItem[],
  dayStart: string,
  dayEnd: string,
  until: string,
): BarPiece[] {
  const start = parseWall(dayStart);
  const end = parseWall(dayEnd);
  const stop = parseWall(until);
  if (!start || !end || !stop) return [];
  const total = Math.max(1, minutesBetween(start, end));
  const out: BarPiece[] = [];
  records.forEach((r, i) => {
    const a = parseWall(r.Time);
    const next = i + 1 < records.length ? parseWall(records[i + 1]!.Time) : stop;
    if (!a || !next) return;
    const minutes = minutesBetween(a, next);
    if (minutes <= 0) return;
    out.push({
      status: r.Status_Name,
      from: hm(a),
      to: hm(next),
      minutes,
      left: (minutesBetween(start, a) / total) * 100,
      width: (minutes / total) * 100,
    });
  });
  return out;
}

/** Seconds as "x 小时 y 分" (under a minute: "z 秒"). */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} 秒`;
  const m = Math.round(seconds / 60);
  const h = Math.floor(m / 60);
  return h ? `${h} 小时 ${m % 60} 分` : `${m} 分`;
}
