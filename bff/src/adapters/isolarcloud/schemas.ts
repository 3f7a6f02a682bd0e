import { z } from 'zod';

/**
 * iSolarCloud answers (external-apis.md §4, seed 003), parsed loosely: unknown fields are kept out of
 * the way, documented ones are typed. The document mixes strings and numbers for the same field, so
 * numbers are accepted in either form.
 */

const num = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/),
  ])
  .transform(Number);
const numOrNull = z
  .union([num, z.literal(''), z.literal('--'), z.null()])
  .optional()
  .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
const strOrEmpty = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));

/** §4.2 envelope: `result_code` "1" is success; on errors `result_msg` carries the error-code name. */
export const envelope = z.looseObject({
  req_serial_num: z.string().optional(),
  result_code: z.union([z.string(), z.number()]).transform(String),
  result_msg: z.string().nullish(),
  result_data: z.unknown().optional(),
});

/** Seed 003 failure example: an OAuth-style error body (`{"error":"invalid_token", ...}`). */
export const oauthError = z.looseObject({
  error: z.string().min(1),
  error_description: z.string().nullish(),
});

/**
 * §4.4 token / refresh answers. The docs put the tokens under `result_data`, pysolarcloud reads them at
 * the top level: the client merges both places before parsing with this.
 */
export const tokenData = z.looseObject({
  access_token: z.string().min(1).max(4096),
  refresh_token: z.string().min(1).max(4096).nullish(),
  expires_in: num.pipe(z.number().positive()),
  token_type: z.string().nullish(),
  auth_ps_list: z.array(z.union([z.string(), z.number()])).nullish(),
  auth_user: z.union([z.string(), z.number()]).nullish(),
  /** refreshToken's own status (1 ok, 2 no auth info, -1 failed, -2 refresh_token expired, 4/5 invalid). */
  code: z.union([z.string(), z.number()]).transform(String).nullish(),
});
export type TokenData = z.output<typeof tokenData>;

/** §4.3 `/openapi/login` result_data (login_state "1" = success, and only then a token). */
export const loginData = z.looseObject({
  login_state: z.union([z.string(), z.number()]).transform(String),
  token: z.string().nullish(),
  user_id: z.union([z.string(), z.number()]).nullish(),
  user_name: z.string().nullish(),
  user_account: z.string().nullish(),
  remain_times: z.union([z.string(), z.number()]).nullish(),
});

/** Seed 003 plant (`queryPowerStationList` / legacy `getPowerStationList` pageList item). */
export const plantRow = z.looseObject({
  ps_id: num.pipe(z.number().int().positive()),
  ps_name: strOrEmpty,
  description: z.string().nullish(),
  ps_type: num.pipe(z.number().int()),
  online_status: numOrNull,
  valid_flag: numOrNull,
  grid_connection_status: numOrNull,
  install_date: z.string().nullish(),
  ps_location: strOrEmpty,
  // Taken by field name: seed 003's table swaps the two descriptions.
  latitude: numOrNull,
  longitude: numOrNull,
  ps_fault_status: numOrNull,
  connect_type: numOrNull,
  update_time: z.string().nullish(),
  ps_current_time_zone: z.string().nullish(),
  build_status: numOrNull,
});
export type PlantRow = z.output<typeof plantRow>;

/** A page of a list: the table says `row_count`, the example `rowCount`; both are read. */
export const pageOf = <T extends z.ZodType>(row: T) =>
  z
    .looseObject({
      row_count: numOrNull,
      rowCount: numOrNull,
      pageList: z.array(row).nullish(),
    })
    .transform((p) => ({
      total: p.row_count ?? p.rowCount ?? (p.pageList ?? []).length,
      rows: p.pageList ?? [],
    }));

/** A point's value map (`p83022` → value) with its dictionary. */
const pointDict = z
  .array(
    z.looseObject({
      point_id: z.union([z.string(), z.number()]).transform(String),
      point_name: z.string().nullish(),
      point_unit: z.string().nullish(),
    }),
  )
  .nullish();

/** §4.5 getPowerStationRealTimeData result_data. */
export const plantRealTime = z.looseObject({
  device_point_list: z
    .array(z.looseObject({ ps_id: num.pipe(z.number().int()) }).catchall(z.unknown()))
    .nullish(),
  fail_ps_id_list: z.array(z.union([z.string(), z.number()])).nullish(),
  point_dict: pointDict,
});

/** §4.5 getDeviceRealTimeData result_data (the legacy flow reads the plant's own ps_key `{ps_id}_11_0_0`). */
export const deviceRealTime = z.looseObject({
  device_point_list: z
    .array(
      z.looseObject({
        device_point: z
          .looseObject({ ps_key: z.string(), ps_id: num.pipe(z.number().int()) })
          .catchall(z.unknown()),
      }),
    )
    .nullish(),
  point_dict: pointDict,
});

/** §4.5 getDeviceListByPsId (and legacy getDeviceList) pageList item. */
export const deviceRow = z.looseObject({
  ps_key: z.string(),
  device_sn: strOrEmpty,
  device_name: strOrEmpty,
  device_type: num.pipe(z.number().int()),
  dev_fault_status: numOrNull,
  uuid: z.union([z.string(), z.number()]).nullish(),
});
export type DeviceRow = z.output<typeof deviceRow>;
