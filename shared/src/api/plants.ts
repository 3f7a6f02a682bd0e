import { z } from 'zod';
import { idLike, intLike, paging } from '../wire';

/**
 * Seed 003 (Sungrow iSolarCloud) plants, served in the 002 style (`Xxx_Yyy` fields, 002 envelope
 * `{"Err_No","Err_Msg","Data":[...],"Total_Numbers"}`). Times are `"YYYY-MM-DD HH:mm:ss"` in the
 * organization's time zone; powers in kW, energies in kWh, SOC in %.
 *
 *   GET    /api_3/pv_plants                  plants of the caller's organization (paging, Ps_Name filter)
 *   GET    /api_3/pv_plant_detail?Ps_Id=     one plant: today's power curve, daily yield of the month, devices
 *   PUT    /api_3/pv_plant_meter             link (or unlink) a plant's generation to a virtual meter (admin)
 *   GET    /api_3/pv_connection              the organization's iSolarCloud connection status
 *   POST   /api_3/pv_connection_authorize    start the OAuth authorization: answers the authorize URL (admin)
 *   GET    /api_3/pv_connection_callback     where iSolarCloud redirects (`Ticket` + `code`): exchanges the code
 *   POST   /api_3/pv_connection_callback     the same exchange, from the app with a session (admin)
 *   POST   /api_3/pv_connection_login        connect with an iSolarCloud account and password (legacy, admin)
 *   DELETE /api_3/pv_connection              disconnect: forget the tokens (admin)
 */

/** iSolarCloud regions by their `cloudId` (external-apis.md §4.1). */
export const PV_REGIONS = {
  1: '中国',
  2: '国际',
  3: '欧洲',
  7: '澳大利亚',
} as const;
export type PvRegion = keyof typeof PV_REGIONS;

/** Seed 003 `ps_type`. */
export const PV_PLANT_TYPES: Record<number, string> = {
  1: '地面电站',
  3: '分布式光伏电站',
  4: '户用光伏电站',
  5: '户用储能电站',
  6: '村级电站',
  7: '分布式储能电站',
  8: '扶贫电站',
  9: '风力电站',
  12: '工商业储能电站',
};
/** Plant types that have a battery (their plants carry `Soc`). */
export const PV_STORAGE_TYPES: readonly number[] = [5, 7, 12];

/** Seed 003 `ps_fault_status`: 1 fault, 2 alarm, 3 normal. */
export const PV_FAULT_STATUS: Record<number, string> = { 1: '故障', 2: '告警', 3: '正常' };
/** Device `dev_fault_status`: 1 fault, 2 alarm, 4 normal. */
export const PV_DEVICE_FAULT_STATUS: Record<number, string> = { 1: '故障', 2: '告警', 4: '正常' };
/** `Online_Status` as the app shows it. */
export const PV_ONLINE_STATUS: Record<number, string> = { 0: '离线', 1: '在线' };

/** Shown when iSolarCloud refuses because the application's call quota is used up (E998/E999). */
export const PV_QUOTA_MESSAGE = '调用次数已达上限';

const region = () =>
  intLike('Region')
    .refine((n) => n in PV_REGIONS, 'Region 只能是 1（中国）、2（国际）、3（欧洲）或 7（澳大利亚）')
    .transform((n) => n as PvRegion);

const text = (name: string, max: number) =>
  z.string().trim().min(1, `${name} 不能为空`).max(max, `${name} 最多 ${max} 个字符`);

/** GET /api_3/pv_plants */
export const pvPlantListQuery = z.strictObject({
  ...paging,
  /** Fuzzy filter on the plant name. */
  Ps_Name: z.string().trim().max(64, 'Ps_Name 最多 64 个字符').optional(),
});

/** One plant (GET /api_3/pv_plants item; also the head of GET /api_3/pv_plant_detail). */
export const pvPlantItem = z.object({
  Ps_Id: z.number().int(),
  Ps_Name: z.string(),
  Ps_Type: z.number().int(),
  Ps_Type_Name: z.string(),
  /** 1 deployed / online, 0 not. */
  Online_Status: z.number().int(),
  Online_Status_Name: z.string(),
  /** 1 fault, 2 alarm, 3 normal. */
  Fault_Status: z.number().int(),
  Fault_Status_Name: z.string(),
  /** Current power in kW; null before the first refresh. */
  Power_kW: z.number().nullable(),
  Today_kWh: z.number().nullable(),
  Total_kWh: z.number().nullable(),
  /** Battery state of charge in % (storage plants only, else null). */
  Soc: z.number().nullable(),
  Location: z.string(),
  Latitude: z.number().nullable(),
  Longitude: z.number().nullable(),
  /** When the figures were last fetched from iSolarCloud; null before the first refresh. */
  Updated_At: z.string().nullable(),
  /** The virtual meter the plant's generation is written to, or null. */
  Meter_id: z.number().int().nullable(),
});
export type PvPlantItem = z.infer<typeof pvPlantItem>;

/** GET /api_3/pv_plant_detail */
export const pvPlantDetailQuery = z.strictObject({ Ps_Id: idLike('Ps_Id') });

export const pvCurvePoint = z.object({ Time: z.string(), Power_kW: z.number() });
export const pvDailyYield = z.object({ Date: z.string(), Yield_kWh: z.number() });
export const pvDevice = z.object({
  Ps_Key: z.string(),
  Device_Sn: z.string(),
  Device_Name: z.string(),
  Device_Type: z.number().int(),
  Device_Type_Name: z.string(),
  /** 1 fault, 2 alarm, 4 normal. */
  Fault_Status: z.number().int(),
  Fault_Status_Name: z.string(),
});

/** GET /api_3/pv_plant_detail answer (one Data item). */
export const pvPlantDetailItem = pvPlantItem.extend({
  /** Today's power, one point per refresh (every 5 minutes), oldest first. */
  Power_Curve: z.array(pvCurvePoint),
  /** Yield per day of the current month up to today, `Date` = `"YYYY-MM-DD"`. */
  Daily_Yield: z.array(pvDailyYield),
  Devices: z.array(pvDevice),
});
export type PvPlantDetailItem = z.infer<typeof pvPlantDetailItem>;

/** PUT /api_3/pv_plant_meter: `Meter_id` null (or omitted) unlinks. The meter must be virtual and of the caller's organization. */
export const pvPlantMeterBody = z.strictObject({
  Ps_Id: idLike('Ps_Id'),
  Meter_id: idLike('Meter_id').nullable().optional(),
});

/** GET /api_3/pv_connection answer (one Data item; also the answer of every connect / disconnect call). */
export const pvConnectionItem = z.object({
  /** 1 connected (tokens held), 0 not. */
  Connected: z.number().int(),
  /** `oauth` (authorization code) or `legacy` (account + password); null when not connected. */
  Auth_Mode: z.enum(['oauth', 'legacy']).nullable(),
  Region: z.number().int().nullable(),
  Region_Name: z.string().nullable(),
  /** The iSolarCloud user (legacy account or the authorising user); null when unknown. */
  Account: z.string().nullable(),
  Plant_Count: z.number().int(),
  Last_Sync_At: z.string().nullable(),
  /** The last refresh's error in Chinese (e.g. “调用次数已达上限”), null when it succeeded. */
  Last_Error: z.string().nullable(),
  /** Calls made in the current hour and the configured hourly quota. */
  Quota_Used: z.number().int(),
  Quota_Limit: z.number().int(),
  Status_Text: z.string(),
});
export type PvConnectionItem = z.infer<typeof pvConnectionItem>;

/**
 * POST /api_3/pv_connection_authorize. `Redirect_Url` (optional) is where the browser comes back with
 * `?Ticket=…&code=…` (e.g. an H5 page that then POSTs /api_3/pv_connection_callback); default: the BFF's
 * own GET /api_3/pv_connection_callback.
 */
export const pvAuthorizeBody = z.strictObject({
  Region: region(),
  Redirect_Url: z
    .string()
    .trim()
    .max(512, 'Redirect_Url 最多 512 个字符')
    .regex(/^https?:\/\/[^\s]+$/, 'Redirect_Url 必须是 http(s) 地址')
    .optional(),
});
export const pvAuthorizeItem = z.object({
  /** Open this in a web view (weapp) or the browser (H5). */
  Authorize_Url: z.string(),
  /** One-time ticket (10 minutes) the callback must carry; iSolarCloud does not pass `state` back. */
  Ticket: z.string(),
  Expires_At: z.string(),
});

/** GET /api_3/pv_connection_callback (public: the ticket is the credential). `code` is iSolarCloud's spelling. */
export const pvCallbackQuery = z.strictObject({
  Ticket: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, 'Ticket 格式不正确'),
  code: z.string().trim().min(1, 'code 不能为空').max(256, 'code 最多 256 个字符'),
});
/** POST /api_3/pv_connection_callback (with an admin session). */
export const pvCallbackBody = z.strictObject({
  Ticket: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, 'Ticket 格式不正确'),
  Code: z.string().trim().min(1, 'Code 不能为空').max(256, 'Code 最多 256 个字符'),
});

/** POST /api_3/pv_connection_login (legacy `/openapi/login`). The password is kept encrypted at rest (for re-login), never answered or logged. */
export const pvLoginBody = z.strictObject({
  Region: region(),
  Account: text('Account', 128),
  Password: text('Password', 128),
});
