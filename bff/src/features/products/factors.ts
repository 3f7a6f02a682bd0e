import { ENERGY_NAMES, ENERGY_UNITS } from '@wattdesk/shared';

/** A default standard-coal factor: kgce per unit of the energy type, with where it comes from. */
export interface DefaultFactor {
  factor: number;
  source: string;
}

const STD = 'GB/T 2589-2020《综合能耗计算通则》';

/**
 * Default standard-coal factors (折标系数) per energy type of seed 002 (ENERGY_NAMES), in kgce per the
 * type's metering unit (ENERGY_UNITS). Where the standard gives a range or nothing for the medium, the
 * source says which value was taken and why; organizations replace any of them (PUT standard_coal_factors).
 */
export const DEFAULT_FACTORS: Readonly<Record<number, DefaultFactor>> = {
  0: { factor: 0.1229, source: `${STD} 附录A：电力（当量值）0.1229 kgce/kWh` },
  1: { factor: 0.2571, source: `${STD} 附录B 耗能工质：新水 0.2571 kgce/t` },
  2: { factor: 0.2571, source: `${STD} 未单列中水，按附录B 新水 0.2571 kgce/t` },
  3: {
    factor: 8.571,
    source: `${STD} 附录A 热力（当量值）0.03412 kgce/MJ，按供回水温差 60 ℃（251.2 MJ/t）折算 8.571 kgce/t；宜按实测温差修改`,
  },
  4: { factor: 0.4857, source: `${STD} 附录B 耗能工质：软化水 0.4857 kgce/t` },
  5: {
    factor: 128.6,
    source: `${STD} 附录A 蒸汽（低压）3763 MJ/t，0.1286 kgce/kg；标准未单列中压蒸汽，取同值，宜按实测焓值修改`,
  },
  6: { factor: 128.6, source: `${STD} 附录A 蒸汽（低压）3763 MJ/t，0.1286 kgce/kg` },
  7: { factor: 0.04, source: `${STD} 附录B 耗能工质：压缩空气 0.0400 kgce/m³` },
  8: {
    factor: 1.2143,
    source: `${STD} 附录A 天然气 1.1000–1.3300 kgce/m³（范围），取气田天然气 1.2143 kgce/m³；宜按实测低位发热量修改`,
  },
};

/** The energy types factors exist for (0–8). */
export const ENERGY_TYPES = Object.keys(ENERGY_NAMES).map(Number);

/** kgce per `unit` of an energy type, e.g. "kgce/kWh". */
export const factorUnit = (type: number) => `kgce/${ENERGY_UNITS[type] ?? ''}`;
