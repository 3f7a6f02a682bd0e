/** One term of a virtual meter's formula: a meter added or subtracted. */
export interface FormulaTerm {
  sign: '+' | '-';
  meterId: number;
}

/** The 002 `Meter_Formula` text for terms, e.g. `[12]+[13]-[14]` (a leading minus is written `0-[12]`). */
export function formulaText(terms: readonly FormulaTerm[]): string {
  return terms
    .map((t, i) =>
      i === 0 ? (t.sign === '-' ? `0-[${t.meterId}]` : `[${t.meterId}]`) : `${t.sign}[${t.meterId}]`,
    )
    .join('');
}

/** The formula in words, with meter names: "总表 − 办公楼". */
export function formulaWords(terms: readonly FormulaTerm[], nameOf: (id: number) => string): string {
  return terms
    .map(
      (t, i) =>
        `${i === 0 ? (t.sign === '-' ? '− ' : '') : t.sign === '+' ? ' + ' : ' − '}${nameOf(t.meterId)}`,
    )
    .join('');
}
