import { detailEnergyQuery, reportCreated, reportFileQuery } from '@wattdesk/shared';
import { RAW, route } from '../../core/http/route';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Seed 002 §3.4 reports and the download extension. */
export const reportRoutes = [
  route({
    method: 'post',
    path: '/api_3/report',
    envelope: '002',
    tag: '能源报表',
    summary: '3.4 生成能源报表',
    description:
      '按 3.5 的同一查询生成 xlsx 报表（数字与 3.5 一致），文件名如 Year_report2019.xlsx、Month_report2019_6.xlsx、Day_report2019_6_12.xlsx；同名报表再次生成会覆盖。用 File_Url 下载。',
    access: 'session',
    query: detailEnergyQuery,
    response: reportCreated,
    rateLimit: { bucket: 'report', points: 30, windowSec: 60, by: 'user' },
    handler: ({ query, actor, deps }) => deps.reports.create(actor, query),
  }),
  route({
    method: 'get',
    path: '/api_3/report_file',
    envelope: '002',
    tag: '能源报表',
    summary: '下载能源报表（扩展）',
    description: '下载本组织用 3.4 生成的报表；其他组织的报表按不存在处理（404）。',
    access: 'session',
    query: reportFileQuery,
    errors: { 404: '报表不存在' },
    handler: async ({ query, actor, deps, ctx }) => {
      const content = await deps.reports.file(actor, query.File_Name);
      ctx.set('Content-Type', XLSX);
      ctx.set('Content-Disposition', `attachment; filename="${query.File_Name}"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = content;
      return RAW;
    },
  }),
];
