import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client';
import { reports } from './tables';

/** Stored report files; every query is scoped to one organization. */
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  /** Saves a file under its name, replacing an earlier file of the same name in the same organization. */
  async save(orgId: number, fileName: string, content: Buffer, createdBy: number, now: Date): Promise<void> {
    await this.db
      .insert(reports)
      .values({ orgId, fileName, content, createdBy, createdAt: now })
      .onConflictDoUpdate({
        target: [reports.orgId, reports.fileName],
        set: { content: sql`excluded.content`, createdBy, createdAt: now },
      });
  }

  /** The file of that name in the organization, if any. */
  async find(orgId: number, fileName: string): Promise<{ content: Buffer; createdAt: Date } | undefined> {
    const [row] = await this.db
      .select({ content: reports.content, createdAt: reports.createdAt })
      .from(reports)
      .where(and(eq(reports.orgId, orgId), eq(reports.fileName, fileName)))
      .limit(1);
    return row;
  }
}
