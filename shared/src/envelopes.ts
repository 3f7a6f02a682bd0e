import { z } from 'zod';

/** Seed 002 envelope: string codes, a Data list and a count before paging. */
export const envelope002 = <T extends z.ZodType>(item: T) =>
  z.object({
    Err_No: z.string(),
    Err_Msg: z.string(),
    Data: z.array(item).optional(),
    Total_Numbers: z.number().int().optional(),
  });

/** Seeds 000/001 envelope. */
export const envelopeEms = <T extends z.ZodType>(data: T) =>
  z.object({ code: z.number().int(), message: z.string(), data });

/** Seed 004 envelope. */
export const envelopeCharging = <T extends z.ZodType>(data: T) =>
  z.object({ status: z.number().int(), message: z.string(), data });

export type Envelope002<T> = { Err_No: string; Err_Msg: string; Data?: T[]; Total_Numbers?: number };
export type EnvelopeEms<T> = { code: number; message: string; data: T };
