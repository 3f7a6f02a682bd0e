import crypto from 'node:crypto';

/**
 * The fake provincial platform's state and rules, built to docs/provincial-adapter.md (`wd-prp/1`):
 * signature, timestamp and nonce checks, the code lists and their version, enterprise information,
 * data uploads (idempotent by uploadId, latest revision kept) and failures injected by tests.
 */

export interface PrpAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface FakeProvincialOptions {
  /** accessKey → secret of the enterprises the platform knows. */
  keys?: Record<string, string>;
  /** The platform's clock (tests pass the app's test clock). */
  now?: () => number;
}

interface Enterprise {
  enterpriseCode: string;
  region: string;
  deviceID: string;
  dicVersion: string;
  info?: Record<string, unknown>;
  dataCodes: Set<string>;
}

/** A figure as the platform keeps it: the latest revision of (dataCode, statType, statDate). */
export interface FakeFigure {
  accessKey: string;
  dataCode: string;
  statType: string;
  statDate: string;
  dataValue: string;
  revision: number;
}

const BASE_LISTS = {
  collectSystemType: [
    { code: '1', name: '管理信息系统' },
    { code: '2', name: '生产监控管理系统' },
    { code: '3', name: '分布式控制系统' },
    { code: '4', name: '现场仪表' },
    { code: '5', name: '手工填报' },
  ],
  collectItemUsage: [
    { code: '11', name: '购进已消费' },
    { code: '12', name: '购进未消费' },
    { code: '20', name: '生产' },
    { code: '30', name: '加工转换投入' },
    { code: '40', name: '外供' },
  ],
  collectItem: [
    { code: '013300', name: '电力（当量）', unit: '千瓦时', zbckz: '0.1229' },
    { code: '023300', name: '电力', unit: '千瓦时', zbckz: '0.7143' },
    { code: '010100', name: '原煤', unit: '吨', zbckz: '0.7143' },
    { code: '021000', name: '天然气', unit: '立方米', zbckz: '1.3300' },
    { code: '031000', name: '热力', unit: '百万千焦', zbckz: '0.0341' },
    { code: '041000', name: '新水', unit: '吨', zbckz: '0.0857' },
  ],
};

const ok = (data: unknown): PrpAnswer => ({
  status: 200,
  body: { code: 0, message: 'ok', requestId: crypto.randomUUID(), data },
});
export const prpError = (code: number, message: string, field?: string, status = 200): PrpAnswer => ({
  status,
  body: { code, message, requestId: crypto.randomUUID(), ...(field ? { field } : {}) },
});

const hex = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

export class FakeProvincialState {
  readonly keys = new Map<string, string>();
  private readonly enterprises = new Map<string, Enterprise>();
  private readonly nonces = new Map<string, number>();
  private readonly byUploadId = new Map<string, { key: string; answer: PrpAnswer }>();
  private readonly figures = new Map<string, FakeFigure>();
  /** Every data upload the platform accepted (not duplicates), in order. */
  readonly uploads: { accessKey: string; uploadId: string; body: Record<string, unknown> }[] = [];
  /** Every request that reached a platform API (after injected failures too), for tests. */
  readonly calls: { method: string; path: string; status: number; code: number }[] = [];
  private failures: { times: number; status: number; code: number; path?: string; accessKey?: string }[] = [];
  dicVersion = '2026.1';
  regVersion = '1.0.0';
  private dicExtra: { code: string; name: string; unit: string; zbckz: string }[] = [];
  readonly now: () => number;

  constructor(opts: FakeProvincialOptions = {}) {
    this.now = opts.now ?? (() => Date.now());
    for (const [k, s] of Object.entries(opts.keys ?? {})) this.keys.set(k, s);
  }

  /**
   * Control: the next `times` platform calls (of `path` and from `accessKey`, or any) fail with HTTP
   * `status` and answer `code` (HTTP 200 with a code ≠ 0 when status < 500).
   */
  fail(f: { times?: number; status?: number; code?: number; path?: string; accessKey?: string }): void {
    this.failures.push({
      times: f.times ?? 1,
      status: f.status ?? 503,
      code: f.code ?? 5030,
      path: f.path,
      accessKey: f.accessKey,
    });
  }

  /** Control: publishes new base data (a new version and one more collect item). */
  bumpDictionary(): string {
    const n = this.dicExtra.length + 1;
    this.dicExtra.push({ code: `0${51000 + n}`, name: `新增能源 ${n}`, unit: '吨', zbckz: '1.0000' });
    const [y, v] = this.dicVersion.split('.');
    this.dicVersion = `${y}.${Number(v) + 1}`;
    return this.dicVersion;
  }

  dictionary() {
    return {
      dicVersion: this.dicVersion,
      collectSystemType: BASE_LISTS.collectSystemType,
      collectItemUsage: BASE_LISTS.collectItemUsage,
      collectItem: [...BASE_LISTS.collectItem, ...this.dicExtra],
    };
  }

  /** The latest figures the platform holds (for tests and the control endpoint). */
  allFigures(): FakeFigure[] {
    return [...this.figures.values()];
  }

  enterpriseOf(key: string): Record<string, unknown> | undefined {
    return this.enterprises.get(key)?.info;
  }

  /** Checks the four signing headers (docs "Signing"); answers the access key, or the refusal. */
  authenticate(method: string, path: string, headers: Record<string, string | undefined>, body: string) {
    const key = headers['x-prp-key'];
    const ts = headers['x-prp-timestamp'];
    const nonce = headers['x-prp-nonce'];
    const sig = headers['x-prp-signature'];
    if (!key || !ts || !nonce || !sig) return prpError(1001, '缺少签名请求头', undefined, 401);
    const secret = this.keys.get(key);
    if (!secret) return prpError(1004, '未知的接入密钥', undefined, 401);
    const canonical = [method, path, ts, nonce, hex(body)].join('\n');
    const want = crypto.createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
    if (want.length !== sig.length || !crypto.timingSafeEqual(Buffer.from(want), Buffer.from(sig)))
      return prpError(1001, '签名错误', undefined, 401);
    const now = this.now();
    if (!/^\d{1,15}$/.test(ts) || Math.abs(now - Number(ts)) > 300_000)
      return prpError(1002, '时间戳超出允许范围（±300 秒）', undefined, 401);
    for (const [n, at] of this.nonces) if (now - at > 600_000) this.nonces.delete(n);
    if (this.nonces.has(nonce)) return prpError(1003, '请求随机数重复', undefined, 401);
    this.nonces.set(nonce, now);
    return key;
  }

  /** An injected failure for this path, if one is due. */
  takeFailure(path: string, accessKey: string): PrpAnswer | undefined {
    const f = this.failures.find(
      (x) => (!x.path || x.path === path) && (!x.accessKey || x.accessKey === accessKey),
    );
    if (!f) return undefined;
    if (--f.times <= 0) this.failures = this.failures.filter((x) => x !== f);
    return f.status >= 500 || f.status === 429
      ? { status: f.status, body: { code: f.code, message: '平台繁忙，请稍后重试' } }
      : prpError(f.code, '注入的失败', undefined, f.status);
  }

  private enterprise(key: string): Enterprise {
    let e = this.enterprises.get(key);
    if (!e) {
      e = {
        enterpriseCode: '',
        region: '',
        deviceID: `DEV-${key.toUpperCase().slice(0, 12)}`,
        dicVersion: '',
        dataCodes: new Set(),
      };
      this.enterprises.set(key, e);
    }
    return e;
  }

  private versionOf(e: Enterprise) {
    return {
      regVersion: this.regVersion,
      dicVersion: this.dicVersion,
      requireUpdate: e.dicVersion === this.dicVersion ? 0 : 1,
      deviceID: e.deviceID,
      enterpriseCode: e.enterpriseCode,
      region: e.region,
    };
  }

  version(key: string): PrpAnswer {
    return ok(this.versionOf(this.enterprise(key)));
  }

  updateVersion(key: string, body: Record<string, unknown>): PrpAnswer {
    const code = body.enterpriseCode;
    const region = body.region;
    if (typeof code !== 'string' || !/^[0-9A-Z]{18}$/.test(code))
      return prpError(2001, 'enterpriseCode 必须是 18 位统一社会信用代码', 'enterpriseCode');
    if (typeof region !== 'string' || !/^\d{6}$/.test(region))
      return prpError(2001, 'region 必须是 6 位行政区划代码', 'region');
    const e = this.enterprise(key);
    Object.assign(e, { enterpriseCode: code, region, dicVersion: this.dicVersion });
    return ok(this.versionOf(e));
  }

  putEnterprise(key: string, body: Record<string, unknown>): PrpAnswer {
    if (body.dicVersion !== this.dicVersion)
      return prpError(2003, '基础数据版本已过期，请更新', 'dicVersion');
    const ent = body.enterprise as Record<string, unknown> | undefined;
    if (!ent || typeof ent.name !== 'string' || !ent.name)
      return prpError(2001, 'enterprise.name 不能为空', 'enterprise.name');
    if (typeof ent.regionCode !== 'string' || !/^\d{6}$/.test(ent.regionCode))
      return prpError(2001, 'regionCode 必须是 6 位', 'enterprise.regionCode');
    const items = body.collectItemConfig;
    if (!Array.isArray(items) || !items.length)
      return prpError(2001, 'collectItemConfig 不能为空', 'collectItemConfig');
    const dic = this.dictionary();
    const codes = new Set<string>();
    for (const [i, raw] of items.entries()) {
      const it = raw as Record<string, unknown>;
      if (!dic.collectItem.some((c) => c.code === it.Energy_Code))
        return prpError(2001, '未知的能源编码', `collectItemConfig.${i}.Energy_Code`);
      if (!dic.collectItemUsage.some((c) => c.code === it.dataUsageCode))
        return prpError(2001, '未知的用途编码', `collectItemConfig.${i}.dataUsageCode`);
      if (!dic.collectSystemType.some((c) => c.code === it.inputType))
        return prpError(2001, '未知的数据采集来源', `collectItemConfig.${i}.inputType`);
      if (typeof it.dataCode !== 'string' || !/^\d{19}$/.test(it.dataCode))
        return prpError(2001, 'dataCode 必须是 19 位数字', `collectItemConfig.${i}.dataCode`);
      codes.add(it.dataCode);
    }
    const e = this.enterprise(key);
    e.info = body;
    e.dataCodes = codes;
    return ok({ accepted: true, dataCodes: [...codes] });
  }

  postData(key: string, body: Record<string, unknown>): PrpAnswer {
    const uploadId = body.uploadId;
    if (typeof uploadId !== 'string' || !uploadId || uploadId.length > 64)
      return prpError(2001, 'uploadId 不能为空', 'uploadId');
    const seen = this.byUploadId.get(uploadId);
    if (seen && seen.key === key) {
      const data = { ...(seen.answer.body.data as object), duplicate: true };
      return { status: 200, body: { ...seen.answer.body, data } };
    }
    if (body.dicVersion !== this.dicVersion)
      return prpError(2003, '基础数据版本已过期，请更新', 'dicVersion');
    const e = this.enterprise(key);
    const rows = body.data;
    if (!Array.isArray(rows) || !rows.length) return prpError(2001, 'data 不能为空', 'data');
    for (const [i, raw] of rows.entries()) {
      const r = raw as Record<string, unknown>;
      if (typeof r.dataCode !== 'string' || !e.dataCodes.has(r.dataCode))
        return prpError(2002, '未知的采集数据项（请先上传用能单位基础信息）', `data.${i}.dataCode`);
      if (!['0', '1', '2', '3'].includes(String(r.statType)))
        return prpError(2001, 'statType 必须是 0–3', `data.${i}.statType`);
      if (typeof r.statDate !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r.statDate))
        return prpError(2001, 'statDate 格式错误', `data.${i}.statDate`);
      if (typeof r.dataValue !== 'string' || !Number.isFinite(Number(r.dataValue)))
        return prpError(2001, 'dataValue 必须是数字字符串', `data.${i}.dataValue`);
    }
    for (const raw of rows) {
      const r = raw as Record<string, unknown>;
      const id = `${key}|${String(r.dataCode)}|${String(r.statType)}|${String(r.statDate)}`;
      const revision = Number(r.revision ?? 0);
      const old = this.figures.get(id);
      if (!old || old.revision <= revision)
        this.figures.set(id, {
          accessKey: key,
          dataCode: String(r.dataCode),
          statType: String(r.statType),
          statDate: String(r.statDate),
          dataValue: String(r.dataValue),
          revision,
        });
    }
    const answer = ok({ accepted: rows.length, receiptNo: `R${this.uploads.length + 1}` });
    this.byUploadId.set(uploadId, { key, answer });
    this.uploads.push({ accessKey: key, uploadId, body });
    return answer;
  }
}
