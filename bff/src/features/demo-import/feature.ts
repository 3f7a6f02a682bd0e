import { demoImportStatus, type DemoImportStatus } from '@wattdesk/shared';
import { route } from '../../core/http/route';
import { formatLocal } from '../../core/time';
import { defineFeature } from '../../platform/contract';
import { DemoImportRepository, type DemoImport } from './repository';

declare module '../../platform/contract' {
  interface FeatureApis {
    'demo-import': DemoImportApi;
  }
  interface DomainEventTypes {
    /** A demo organization's background readings import ended (emitted with its final state). */
    'demo.import.finished': { state: 'done' | 'failed' };
  }
}

/** What other features may ask of the demo import. */
export interface DemoImportApi {
  /** Whether the organization's demo readings are still being imported (figures are partial). */
  importing(orgId: number): Promise<boolean>;
}

/** Percent of a running import, 0–99 (100 only once it is done). */
export const importPercent = (i: Pick<DemoImport, 'state' | 'done' | 'total'>): number =>
  i.state === 'done' ? 100 : i.total > 0 ? Math.min(99, Math.floor((i.done / i.total) * 100)) : 0;

/** The API answer for an organization's import (or its absence). */
export function statusOf(i: DemoImport | undefined): DemoImportStatus {
  if (!i)
    return {
      State: 'none',
      Progress: 100,
      Imported: 0,
      Total: 0,
      Start_Time: '',
      Update_Time: '',
      Finish_Time: '',
      Message: '',
    };
  const at = (t: number | null) => (t === null ? '' : formatLocal(new Date(t), i.timeZone));
  return {
    State: i.state === 'done' ? 'done' : i.state === 'failed' ? 'failed' : 'importing',
    Progress: importPercent(i),
    Imported: i.state === 'done' ? i.total : i.done,
    Total: i.total,
    Start_Time: at(i.startedAt),
    Update_Time: at(i.updatedAt),
    Finish_Time: at(i.finishedAt),
    Message: i.state === 'failed' ? '演示数据导入失败' : '',
  };
}

/**
 * Demo data import status (extension): `GET /api_3/demo_import_status` for the caller's organization,
 * and a `/readyz` entry while an import runs ("ok: importing 42%": the BFF serves, figures are partial).
 * The import itself runs in demo mode's demo-data part (bff/src/demo/demo-data.ts).
 */
export const demoImportFeature = defineFeature('demo-import', (ctx) => {
  const repo = new DemoImportRepository(ctx.db);
  const importing = async (orgId: number) => {
    const i = await repo.get(orgId);
    return i?.state === 'site' || i?.state === 'readings';
  };
  return {
    api: { importing },
    routes: [
      route({
        method: 'get',
        path: '/api_3/demo_import_status',
        envelope: '002',
        tag: '扩展 演示数据',
        summary: '演示数据导入进度（演示模式首次启动时在后台导入一年的读数）',
        description:
          'State：none（本组织没有演示数据导入）、importing（导入中，Progress 为百分比 0–99）、done（已完成，Progress 为 100）、failed（失败）。' +
          '导入完成前能耗数字不完整。时间为组织时区的本地时间。',
        access: 'session' as const,
        response: demoImportStatus,
        handler: async ({ actor }) => statusOf(await repo.get(actor.orgId)),
      }),
    ],
    readiness: async (): Promise<Record<string, string>> => {
      if (!ctx.demo) return {};
      const running = await repo.unfinished();
      if (!running.length) return { demo_import: 'ok' };
      const i = running[0]!;
      return {
        demo_import: `ok: importing ${importPercent(i)}% (${i.done.toLocaleString('en')}/${i.total.toLocaleString('en')} readings)`,
      };
    },
  };
});
