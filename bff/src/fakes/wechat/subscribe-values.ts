/**
 * Value limits of subscribe-message data, per key type (external-apis.md §1(d), the official table).
 * A key is `<type><n>`, e.g. `thing1`, `time2`, `character_string3`.
 */
const HAN = /\p{Script=Han}/u;
const chars = (v: string) => [...v];
const DATE = String.raw`(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})`;
const CLOCK = String.raw`([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?`;

const rules: Record<string, (v: string) => boolean> = {
  thing: (v) => chars(v).length <= 20,
  number: (v) => /^[+-]?\d+(\.\d+)?$/.test(v) && v.replace(/\D/g, '').length <= 32,
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  symbol: (v) => /^[^\p{L}\p{N}\s]{1,5}$/u.test(v),
  character_string: (v) => /^[A-Za-z0-9\p{P}\p{S}]{1,32}$/u.test(v),
  time: (v) => new RegExp(`^(${DATE}\\s+)?${CLOCK}$`).test(v),
  date: (v) => new RegExp(`^${DATE}(\\s+${CLOCK})?$`).test(v),
  amount: (v) => /^[¥￥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => /^[\d+\-() ]{1,17}$/.test(v),
  car_number: (v) =>
    chars(v).length <= 8 && /^[\p{Script=Han}A-Za-z0-9][A-Za-z0-9]*[\p{Script=Han}A-Za-z0-9]?$/u.test(v),
  name: (v) => (HAN.test(v) ? chars(v).length <= 10 : /^[A-Za-z\p{P}\p{S} ]{1,20}$/u.test(v)),
  phrase: (v) => /^\p{Script=Han}{1,5}$/u.test(v),
};

/** The type of a data key (`thing12` → `thing`), or null when the key has no known type. */
export function keyType(key: string): string | null {
  const m = /^([a-z_]+?)(\d+)$/.exec(key);
  return m && rules[m[1]!] ? m[1]! : null;
}

/**
 * Checks a subscribe message's `data`; returns the errmsg WeChat gives for the first bad key
 * (`argument invalid! data.<key>.value ...`), or null when every value is acceptable.
 */
export function checkSubscribeData(data: unknown): string | null {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'argument invalid! data is empty';
  const entries = Object.entries(data as Record<string, unknown>);
  if (!entries.length) return 'argument invalid! data is empty';
  for (const [key, item] of entries) {
    const type = keyType(key);
    if (!type) return `argument invalid! data.${key} is invalid`;
    const value = (item as { value?: unknown } | null)?.value;
    if (value === undefined || value === null || value === '')
      return `argument invalid! data.${key}.value is empty`;
    if (typeof value !== 'string' || !rules[type]!(value))
      return `argument invalid! data.${key}.value invalid`;
  }
  return null;
}
