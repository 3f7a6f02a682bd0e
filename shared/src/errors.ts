/**
 * One error catalogue for every API family. Each kind carries its HTTP status and the numeric code
 * used by each seed's envelope, so clients (BFF and mini-program) switch on codes, never on text.
 */
export const errorKinds = {
  validation: { status: 400, code002: '4103', codeEms: 100001, codeCharging: 400, zh: '参数错误' },
  payload_too_large: { status: 413, code002: '4103', codeEms: 100001, codeCharging: 413, zh: '请求体过大' },
  unauthenticated: {
    status: 401,
    code002: '4101',
    codeEms: 100002,
    codeCharging: 401,
    zh: '用户未登录或登录已过期',
  },
  login_failed: { status: 401, code002: '4102', codeEms: 100002, codeCharging: 401, zh: '用户名或密码错误' },
  account_locked: {
    status: 423,
    code002: '4102',
    codeEms: 100002,
    codeCharging: 423,
    zh: '登录失败次数过多，账户已暂时锁定',
  },
  forbidden: { status: 403, code002: '4105', codeEms: 100003, codeCharging: 403, zh: '用户权限不足' },
  not_found: { status: 404, code002: '4002', codeEms: 100004, codeCharging: 404, zh: '数据不存在' },
  user_not_found: { status: 404, code002: '4104', codeEms: 100004, codeCharging: 404, zh: '用户不存在' },
  conflict: {
    status: 409,
    code002: '4003',
    codeEms: 100009,
    codeCharging: 409,
    zh: '数据已存在或与现有数据冲突',
  },
  in_use: {
    status: 409,
    code002: '4004',
    codeEms: 100009,
    codeCharging: 409,
    zh: '数据正在被引用，不能删除',
  },
  rate_limited: {
    status: 429,
    code002: '4201',
    codeEms: 100010,
    codeCharging: 429,
    zh: '请求过于频繁，请稍后再试',
  },
  device_offline: { status: 409, code002: '4004', codeEms: 100005, codeCharging: 409, zh: '设备离线' },
  device_refused: { status: 409, code002: '4004', codeEms: 100006, codeCharging: 409, zh: '设备拒绝执行' },
  device_timeout: {
    status: 504,
    code002: '4501',
    codeEms: 100007,
    codeCharging: 504,
    zh: '设备未在规定时间内应答',
  },
  device_busy: {
    status: 409,
    code002: '4004',
    codeEms: 100008,
    codeCharging: 409,
    zh: '设备正在执行其他命令',
  },
  upstream_failed: {
    status: 502,
    code002: '4501',
    codeEms: 100011,
    codeCharging: 502,
    zh: '外部服务调用失败',
  },
  file_error: { status: 500, code002: '4302', codeEms: 100500, codeCharging: 500, zh: '文件读写错误' },
  database_error: {
    status: 500,
    code002: '4107',
    codeEms: 100500,
    codeCharging: 500,
    zh: '数据库记录新增或修改出错',
  },
  internal: { status: 500, code002: '4501', codeEms: 100500, codeCharging: 500, zh: '未知错误' },
  device_error: {
    status: 502,
    code002: '4501',
    codeEms: 100012,
    codeCharging: 502,
    zh: '设备执行失败',
  },
  method_not_allowed: {
    status: 405,
    code002: '4201',
    codeEms: 100001,
    codeCharging: 405,
    zh: '不支持的请求方法',
  },
} as const;

export type ErrorKind = keyof typeof errorKinds;

/** Chinese message for a seed 002 `Err_No`, for clients that show a code to a user. */
export const messages002: Readonly<Record<string, string>> = {
  '0': 'ok',
  '4001': '数据库查询出错',
  '4002': '无数据',
  '4003': '数据已存在',
  '4004': '数据错误',
  '4101': '用户未登录',
  '4102': '用户登录失败',
  '4103': '参数错误',
  '4104': '用户不存在',
  '4105': '用户权限不足',
  '4106': '密码错误',
  '4107': '数据库记录新增或修改出错',
  '4201': '非法请求或请求次数受限',
  '4202': 'IP受限',
  '4302': '文件读写错误',
  '4501': '未知错误',
};

/** Chinese message for a seed 000/001 `code` (extensions 100002+ are ours, documented in the README). */
export const messagesEms: Readonly<Record<number, string>> = {
  0: '成功',
  100001: '参数格式错误',
  100002: '用户未登录或登录已过期',
  100003: '没有操作该设备的权限',
  100004: '设备不存在',
  100005: '设备离线',
  100006: '设备拒绝执行',
  100007: '设备应答超时',
  100008: '设备正在执行其他命令',
  100009: '请求冲突',
  100010: '请求过于频繁',
  100011: '外部服务调用失败',
  100012: '设备执行失败',
  100500: '服务器内部错误',
};
