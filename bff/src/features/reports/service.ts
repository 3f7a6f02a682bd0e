import type { DetailEnergyQuery, FormDetailRow, ReportCreated } from '@wattdesk/shared';
import type { Actor } from '../../core/auth/actor';
import { notFound } from '../../core/errors';
import { formatLocal } from '../../core/time';
import type { Clock } from '../../infra/clock';
import { reportFileName, reportTitle } from './naming';
import type { ReportsRepository } from './repository';
import { buildReportWorkbook } from './workbook';

/** The 3.5 query the report is built from, so the file shows exactly the numbers the API answers. */
export interface FormDetailSource {
  formDetailEnergy(orgId: number, query: DetailEnergyQuery): Promise<FormDetailRow[]>;
}

export interface ReportsPorts {
  repo: ReportsRepository;
  energy: FormDetailSource;
  clock: Clock;
  timeZoneOf(orgId: number): Promise<string>;
}

/** 3.4 reports: builds an xlsx from the 3.5 answer, stores it for the organization and serves it back. */
export class ReportsService {
  constructor(private readonly ports: ReportsPorts) {}

  /** Runs the 3.5 query, writes the workbook, saves it under the seed's file name and answers that name. */
  async create(actor: Actor, query: DetailEnergyQuery): Promise<ReportCreated> {
    const rows = await this.ports.energy.formDetailEnergy(actor.orgId, query);
    const now = this.ports.clock.now();
    const tz = await this.ports.timeZoneOf(actor.orgId);
    const timeType = query.Time_Type as 1 | 2 | 3;
    const content = await buildReportWorkbook({
      title: reportTitle(timeType, query.Time_Start),
      timeStart: query.Time_Start,
      timeEnd: query.Time_End,
      generatedAt: formatLocal(now, tz),
      rows,
    });
    const fileName = reportFileName(timeType, query.Time_Start);
    await this.ports.repo.save(actor.orgId, fileName, content, actor.userId, now);
    return { File_Name: fileName, File_Url: `/api_3/report_file?File_Name=${encodeURIComponent(fileName)}` };
  }

  /** The stored file; another organization's file is answered as missing. */
  async file(actor: Actor, fileName: string): Promise<Buffer> {
    const found = await this.ports.repo.find(actor.orgId, fileName);
    if (!found) throw notFound(`报表 ${fileName} `);
    return found.content;
  }
}
