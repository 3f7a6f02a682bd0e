import { ENERGY_NAMES } from '@wattdesk/shared';
import { invalid } from '../../core/errors';

/** A meter as queries see it. */
export interface QueryMeter {
  id: number;
  name: string;
  energyType: number;
  machine: string;
  /** The machine's id (set by `queryMeters`). */
  machineId?: number;
  department: string;
  isCount: boolean;
  isVirtual: boolean;
  formula: string;
}

/** One answer row's identity and the meters whose figures it sums. */
export interface Group {
  department: string;
  machine: string;
  meter: string;
  energyType: number;
  members: number[];
}

export interface GroupQuery {
  Amount_Type: number;
  Amount_Combination?: number;
  Amount_SortName?: string[];
  Amount_Value?: number[];
}

/**
 * The rows an energy query answers (3.1/3.2/3.5). Amount_Type 1: one row per energy type; 2: one per
 * meter; 3/4: per machine/department, with Amount_Combination 1 one row per energy type and 2 one per
 * meter. Rows that add up several meters (type rows) count only meters marked Meter_IsCount = 1, so a
 * total meter and its sub-meters are not counted twice; rows of single meters list any meter asked for.
 * A name in Amount_SortName that does not exist is a 4103 naming it.
 */
export function selectGroups(
  meters: QueryMeter[],
  q: GroupQuery,
  machines: { name: string; department: string }[] = [],
): Group[] {
  const types = q.Amount_Value?.length ? new Set(q.Amount_Value) : null;
  const pool = meters.filter((m) => !types || types.has(m.energyType));
  const names = q.Amount_SortName?.length ? [...new Set(q.Amount_SortName)] : null;
  const combination = q.Amount_Combination ?? 1;
  const byType = (list: QueryMeter[], head: Omit<Group, 'energyType' | 'members'>): Group[] => {
    const out = new Map<number, number[]>();
    for (const m of list) if (m.isCount) out.set(m.energyType, [...(out.get(m.energyType) ?? []), m.id]);
    return [...out]
      .sort(([a], [b]) => a - b)
      .map(([energyType, members]) => ({ ...head, energyType, members }));
  };
  const single = (m: QueryMeter): Group => ({
    department: m.department,
    machine: m.machine,
    meter: m.name,
    energyType: m.energyType,
    members: [m.id],
  });
  const known = (candidates: string[], what: string) => {
    const all = new Set(candidates);
    if (!names) return [...all];
    const missing = names.filter((n) => !all.has(n));
    if (missing.length) throw invalid('Amount_SortName', `${what}不存在：${missing.join('、')}`);
    return names;
  };
  switch (q.Amount_Type) {
    case 1:
      return byType(pool, { department: '', machine: '', meter: '' });
    case 2: {
      const wanted = new Set(
        known(
          meters.map((m) => m.name),
          '仪表',
        ),
      );
      return pool.filter((m) => wanted.has(m.name)).map(single);
    }
    default: {
      const byMachine = q.Amount_Type === 3;
      const field = (m: QueryMeter) => (byMachine ? m.machine : m.department);
      const extra = machines.map((x) => (byMachine ? x.name : x.department));
      const out: Group[] = [];
      for (const key of known([...meters.map(field), ...extra], byMachine ? '机器' : '部门')) {
        const list = pool.filter((m) => field(m) === key);
        if (combination === 2) out.push(...list.map(single));
        else {
          const head = byMachine
            ? {
                department: machines.find((x) => x.name === key)?.department ?? list[0]?.department ?? '',
                machine: key,
                meter: '',
              }
            : { department: key, machine: '', meter: '' };
          out.push(...byType(list, head));
        }
      }
      return out;
    }
  }
}

/** The energy name of a type code. */
export const energyName = (t: number): string => ENERGY_NAMES[t] ?? '';
