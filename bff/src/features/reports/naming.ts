const PREFIX = { 1: 'Year', 2: 'Month', 3: 'Day' } as const;

/** The file name for a report of `timeType` (1 year, 2 month, 3 day) starting at local `timeStart` (seed 3.4: Year_report2019.xlsx, Month_report2019_6.xlsx, Day_report2019_6_12.xlsx). */
export function reportFileName(timeType: 1 | 2 | 3, timeStart: string): string {
  const [y, m, d] = timeStart.slice(0, 10).split('-').map(Number) as [number, number, number];
  return `${PREFIX[timeType]}_report${[y, m, d].slice(0, timeType).join('_')}.xlsx`;
}

/** Report title shown in the sheet, e.g. "2019年6月能源报表". */
export function reportTitle(timeType: 1 | 2 | 3, timeStart: string): string {
  const [y, m, d] = timeStart.slice(0, 10).split('-').map(Number) as [number, number, number];
  const when = timeType === 1 ? `${y}年` : timeType === 2 ? `${y}年${m}月` : `${y}年${m}月${d}日`;
  return `${when}能源报表`;
}
