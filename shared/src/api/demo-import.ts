import { z } from 'zod';

/**
 * Extension: GET /api_3/demo_import_status — the demo organization's data import (demo mode's first
 * start loads a year of readings in the background), for the app to show "演示数据导入中 42%".
 */
export const demoImportStatus = z.object({
  /** none: this organization has no demo import; importing; done; failed. */
  State: z.enum(['none', 'importing', 'done', 'failed']),
  /** Percent imported, 0–100 (100 when done or none). */
  Progress: z.number().int().min(0).max(100),
  Imported: z.number().int(),
  Total: z.number().int(),
  /** Local "YYYY-MM-DD HH:mm:ss" in the organization's time zone; "" when not applicable. */
  Start_Time: z.string(),
  Update_Time: z.string(),
  Finish_Time: z.string(),
  /** Why it failed ("" otherwise). */
  Message: z.string(),
});
export type DemoImportStatus = z.infer<typeof demoImportStatus>;
