import { z } from 'zod';

/** 3.4 answer: the file name as the seed shows it; `File_Url` (extension) is where to download it. */
export const reportCreated = z.object({ File_Name: z.string(), File_Url: z.string() });

/** Extension: GET /api_3/report_file — downloads a report made by the caller's organization. */
export const reportFileQuery = z.strictObject({
  File_Name: z
    .string()
    .regex(
      /^(Year_report\d{4}|Month_report\d{4}_(?:[1-9]|1[0-2])|Day_report\d{4}_(?:[1-9]|1[0-2])_(?:[1-9]|[12]\d|3[01]))\.xlsx$/,
      'File_Name 必须是 3.4 生成的报表文件名，如 Year_report2019.xlsx、Month_report2019_6.xlsx、Day_report2019_6_12.xlsx',
    ),
});

export type ReportCreated = z.infer<typeof reportCreated>;
