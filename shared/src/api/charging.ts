import { z } from 'zod';
import { idLike, intLike, localDateTime, paging } from '../wire';

/**
 * Charging points (seed 004 platform side) as managers see them: 002-style extension endpoints, 002
 * envelope, `Xxx_Yyy` names. Powers in kW, energy in kWh, money in 元, times `"YYYY-MM-DD HH:mm:ss"` in
 * the organization's time zone. After the first commit fields are only ever ADDED.
 *
 *   GET /api_3/charging_stations          stations → equipment → cells, each cell live, today's energy (paged)
 *   GET /api_3/charging_records           charging records (filters, paged)
 *   GET /api_3/charging_record_totals     the same filters → one row of totals
 *   GET /api_3/charging_utilisation       per day: charging time share, sessions, energy, revenue
 *   GET/POST/DELETE /api_3/charging_operators, POST /api_3/charging_operators/secret   (org admin)
 */

/** T/CEC 102 connector status codes. */
export const CELL_STATUSES = [0, 1, 2, 3, 4, 255] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];
/** Chinese names of the T/CEC 102 status codes, for the screen. */
export const CELL_STATUS_NAMES: Readonly<Record<CellStatus, string>> = {
  0: '离网',
  1: '空闲',
  2: '占用未充电',
  3: '充电中',
  4: '预约锁定',
  255: '故障',
};

/** Pay state of a charging record's bill ('none' = no bill yet). */
export const PAY_STATES = [
  'none',
  'unpaid',
  'paying',
  'paid',
  'closed',
  'refunding',
  'refunded',
  'partially_refunded',
] as const;
export type PayState = (typeof PAY_STATES)[number];

const ymd = (name: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${name} 格式必须为 "YYYY-MM-DD"`);
const idText = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} 不能为空`)
    .max(64, `${name} 最多 64 个字符`)
    .regex(/^[A-Za-z0-9_.:-]+$/, `${name} 只能包含字母、数字和 _ . : -`);

/** Counts of cells by T/CEC status. */
export const chargingStatusCounts = z.object({
  Offline: z.number().int(),
  Idle: z.number().int(),
  Occupied: z.number().int(),
  Charging: z.number().int(),
  Reserved: z.number().int(),
  Fault: z.number().int(),
});

/** One connector, live. Live fields are null until its first report. */
export const chargingCellItem = z.object({
  Cell_Id: z.string(),
  Cell_Type: z.number().int(),
  Rated_Power: z.number(),
  /** T/CEC status; 0 离网 until the first report. */
  Status: z.number().int(),
  Status_Name: z.string(),
  /** When the status was reported (operator's time). */
  Status_Time: z.string().nullable(),
  Power: z.number().nullable(),
  Voltage: z.number().nullable(),
  Current: z.number().nullable(),
  Soc: z.number().nullable(),
  Temperature: z.number().nullable(),
  /** Running energy of the current session (kWh), while charging. */
  Session_Energy: z.number().nullable(),
  /** When the cell went into 3 充电中 (start of the current charging), null when not charging. */
  Charging_Since: z.string().nullable(),
  /** Energy of records that ended today (site's day), kWh. */
  Today_Energy: z.number(),
});
export type ChargingCellItem = z.infer<typeof chargingCellItem>;

export const chargingEquipmentItem = z.object({
  Equipment_Id: z.string(),
  Equipment_Name: z.string(),
  /** T/CEC: 1 直流 2 交流 3 交直流一体 4 无线 5 其他 */
  Equipment_Type: z.number().int(),
  Power: z.number(),
  Cells: z.array(chargingCellItem),
});

/** One station of GET /api_3/charging_stations. */
export const chargingStationItem = z.object({
  Station_Id: z.string(),
  Station_Name: z.string(),
  Operator_Id: z.string(),
  Site: z.string(),
  Address: z.string(),
  Station_Status: z.number().int(),
  Counts: chargingStatusCounts,
  Power: z.number(),
  Today_Energy: z.number(),
  Today_Sessions: z.number().int(),
  Today_Revenue: z.number(),
  Month_Energy: z.number(),
  Month_Sessions: z.number().int(),
  Month_Revenue: z.number(),
  Equipment: z.array(chargingEquipmentItem),
});
export type ChargingStationItem = z.infer<typeof chargingStationItem>;

/** Default page size of GET /api_3/charging_stations (each station carries all its equipment and cells). */
export const CHARGING_STATIONS_PAGE_SIZE = 20;
/** The largest page of GET /api_3/charging_stations. */
export const CHARGING_STATIONS_MAX_PAGE = 100;

/** Paged like the 002 lists (Page_Counts from 1, Total_Numbers = every matching station). */
export const chargingStationsQuery = z.strictObject({
  ...paging,
  Per_Page_Counts: intLike('Per_Page_Counts')
    .pipe(
      z
        .number()
        .int()
        .min(1, 'Per_Page_Counts 至少为 1')
        .max(CHARGING_STATIONS_MAX_PAGE, `Per_Page_Counts 最大 ${CHARGING_STATIONS_MAX_PAGE}`),
    )
    .optional(),
  Station_Id: idText('Station_Id').optional(),
  Operator_Id: idText('Operator_Id').optional(),
});

/** Filters shared by the record list and its totals. */
const recordFilters = {
  Station_Id: idText('Station_Id').optional(),
  Cell_Id: idText('Cell_Id').optional(),
  Operator_Id: idText('Operator_Id').optional(),
  /** Records that ended at or after Start_Time and before End_Time. */
  Start_Time: localDateTime().optional(),
  End_Time: localDateTime().optional(),
  Plate_No: z.string().trim().min(1).max(16, 'Plate_No 最多 16 个字符').optional(),
  Pay_State: z.enum(PAY_STATES, { message: `Pay_State 只能是 ${PAY_STATES.join('、')}` }).optional(),
};
export const chargingRecordsQuery = z.strictObject({ ...paging, ...recordFilters });
export const chargingRecordTotalsQuery = z.strictObject(recordFilters);

export const chargingRecordItem = z.object({
  id: z.number().int(),
  Record_Id: z.string(),
  Operator_Id: z.string(),
  Station_Id: z.string(),
  Station_Name: z.string(),
  Equipment_Id: z.string(),
  Cell_Id: z.string(),
  Start_Time: z.string(),
  End_Time: z.string(),
  /** kWh */
  Total_Power: z.number(),
  /** 元 */
  Total_Money: z.number(),
  Elec_Money: z.number(),
  Service_Money: z.number(),
  Plate_No: z.string().nullable(),
  Stop_Reason: z.number().int().nullable(),
  Pay_State: z.enum(PAY_STATES),
});
export type ChargingRecordItem = z.infer<typeof chargingRecordItem>;

export const chargingRecordTotals = z.object({
  Sessions: z.number().int(),
  Total_Power: z.number(),
  Total_Money: z.number(),
  Elec_Money: z.number(),
  Service_Money: z.number(),
  /** Seconds of charging (sum of record durations). */
  Charging_Seconds: z.number().int(),
});

export const chargingUtilisationQuery = z.strictObject({
  Start_Date: ymd('Start_Date'),
  End_Date: ymd('End_Date'),
  Station_Id: idText('Station_Id').optional(),
});
/** One day (site's day) of a station (or all stations when no Station_Id). */
export const chargingUtilisationItem = z.object({
  Date: z.string(),
  /** Cells that existed at some time of the day (added later or deleted before: not counted). */
  Cells: z.number().int(),
  /** Seconds of charging records overlapping the day. */
  Charging_Seconds: z.number().int(),
  /** Charging_Seconds / (Cells × 86400), 0…1. */
  Utilisation: z.number(),
  Sessions: z.number().int(),
  Energy: z.number(),
  Revenue: z.number(),
});

// --- operators (org admin) -------------------------------------------------------------------------

export const chargingOperatorItem = z.object({
  id: z.number().int(),
  Operator_Id: z.string(),
  Operator_Name: z.string(),
  Site: z.string(),
  Created_At: z.string(),
  Secret_Rotated_At: z.string(),
});
export const chargingOperatorCreateBody = z.strictObject({
  Operator_Id: idText('Operator_Id'),
  Operator_Name: z.string().trim().min(1, 'Operator_Name 不能为空').max(64, 'Operator_Name 最多 64 个字符'),
  Site: z.string().trim().max(64, 'Site 最多 64 个字符').optional(),
});
export const chargingOperatorIdBody = z.strictObject({ id: idLike('id') });
/** Shown once, on create and on rotate. */
export const chargingOperatorSecretItem = z.object({
  id: z.number().int(),
  Operator_Id: z.string(),
  Operator_Secret: z.string(),
});
export const chargingOperatorListQuery = z.strictObject({ ...paging, id: idLike().optional() });

/** Cell status code as a query/body value. */
export const cellStatusLike = (name = 'status') =>
  intLike(name)
    .refine((n) => (CELL_STATUSES as readonly number[]).includes(n), `${name} 只能是 0、1、2、3、4 或 255`)
    .transform((n) => n as CellStatus);
