import { z } from 'zod';
import { numberLike } from '../wire';

/**
 * Extension PUT /api_3/contract_demand: the organization's contracted demand in kW (the supply
 * contract's maximum demand, 合同需量), which home compares today's peak against; "" clears it.
 */
export const contractDemandBody = z.strictObject({
  Contract_Demand: z.union([
    z.literal(''),
    numberLike().pipe(
      z
        .number()
        .gt(0, 'Contract_Demand 必须大于 0（单位 kW），留空表示不设置')
        .max(10_000_000, 'Contract_Demand 最大为 10000000 kW'),
    ),
  ]),
});
/** Extension GET /api_3/contract_demand answer: kW as a string, "" when not set. */
export const contractDemandItem = z.object({ Contract_Demand: z.string(), Demand_Unit: z.literal('kW') });

export type ContractDemandItem = z.infer<typeof contractDemandItem>;
