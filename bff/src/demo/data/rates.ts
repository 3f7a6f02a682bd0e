import { rateSetBody } from '@wattdesk/shared';
import type { z } from 'zod';

type RateSet = z.input<typeof rateSetBody>;

/** The demo site's electricity time-of-use rate (peak / flat / valley, 元/kWh), an industrial tariff's shape. */
export const DEMO_TOU: RateSet = {
  Rate_Name: '工业分时电价',
  Rate_Type: '0',
  isSegmentation: '0',
  Rate_Unit: '元/kWh',
  Segments: [
    { Seg_Begin: '00:00:00', Seg_End: '08:00:00', Rate_Value: '0.3200' },
    { Seg_Begin: '08:00:00', Seg_End: '11:00:00', Rate_Value: '1.0500' },
    { Seg_Begin: '11:00:00', Seg_End: '17:00:00', Rate_Value: '0.6500' },
    { Seg_Begin: '17:00:00', Seg_End: '22:00:00', Rate_Value: '1.0500' },
    { Seg_Begin: '22:00:00', Seg_End: '24:00:00', Rate_Value: '0.3200' },
  ],
};

const flat = (type: string, name: string, value: string, unit: string): RateSet => ({
  Rate_Name: name,
  Rate_Type: type,
  isSegmentation: '1',
  Rate_Value: value,
  Rate_Unit: unit,
});

/** Every rate the demo site ships with: electricity by time of use, water, steam, air and gas flat. */
export const DEMO_RATES: RateSet[] = [
  DEMO_TOU,
  flat('1', '自来水水价', '4.10', '元/t'),
  flat('2', '中水水价', '1.50', '元/t'),
  flat('3', '热水单价', '25.00', '元/t'),
  flat('4', '软水单价', '8.00', '元/t'),
  flat('5', '中压蒸汽单价', '260.00', '元/t'),
  flat('6', '低压蒸汽单价', '230.00', '元/t'),
  flat('7', '压缩空气单价', '0.12', '元/m³'),
  flat('8', '天然气气价', '3.60', '元/m³'),
];

/** Sets the demo rates through the rates service (before the readings load, so every reading is priced). */
export async function setDemoRates(
  rates: { set(orgId: number, body: z.output<typeof rateSetBody>): Promise<unknown> },
  orgId: number,
): Promise<void> {
  for (const r of DEMO_RATES) await rates.set(orgId, rateSetBody.parse(r));
}
