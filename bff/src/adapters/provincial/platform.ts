import type { PrpBaseInfos, PrpOrganizationInfos, PrpStatType, PrpVersion } from '@wattdesk/shared';

/**
 * What the provincial feature sees of a provincial platform, independent of any province's wire format
 * (docs/provincial-adapter.md). `client.ts` implements it for the `wd-prp/1` contract; a province's
 * real specification replaces that one file.
 */

/** Where and as whom an organization reaches its platform. */
export interface PlatformTarget {
  baseUrl: string;
  accessKey: string;
  secret: string;
}

/** One request and its answer, exactly as exchanged (kept for 5.7). */
export interface Exchange {
  targetUrl: string;
  request: unknown;
  response: unknown;
}

/** The result of one call: the value, or why it failed and whether trying again may help. */
export type Outcome<T> = { exchange: Exchange } & (
  { ok: true; value: T } | { ok: false; retryable: boolean; code: string; message: string }
);

/** A collect item as the platform sees it: the 5.2 element and its number within the enterprise. */
export interface PlatformItem {
  itemNo: number;
  config: PrpOrganizationInfos['collectItemConfig'][number];
}

/** One figure of a data upload. */
export interface DataRow {
  item: PlatformItem;
  statType: PrpStatType;
  /** The period's local start, "YYYY-MM-DD HH:mm:ss". */
  statDate: string;
  value: number;
  ratio: string;
  revision: number;
  valid: boolean;
}

export interface ProvincialPlatform {
  /** 5.4: the platform's versions for this enterprise. */
  version(t: PlatformTarget): Promise<Outcome<PrpVersion>>;
  /** 5.5: registers the enterprise's credit code and region; answers the versions after the update. */
  updateVersion(
    t: PlatformTarget,
    body: { enterpriseCode: string; region: string },
  ): Promise<Outcome<PrpVersion>>;
  /** 5.1: the code lists and their version. */
  dictionary(t: PlatformTarget): Promise<Outcome<PrpBaseInfos>>;
  /** 5.2: the enterprise's information and collect items. */
  uploadEnterprise(
    t: PlatformTarget,
    u: { dicVersion: string; infos: PrpOrganizationInfos; items: PlatformItem[] },
  ): Promise<Outcome<{ accepted: true }>>;
  /** Collected data; `uploadId` makes a repeated upload a no-op on the platform. */
  uploadData(
    t: PlatformTarget,
    u: { uploadId: string; dicVersion: string; rows: DataRow[] },
  ): Promise<Outcome<{ duplicate: boolean }>>;
}
