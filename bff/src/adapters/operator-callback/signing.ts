import { formatLocal } from '../../core/time';

/** The time zone of the seed's `Datetime` header (the operator auth reads it in the same zone). */
export const SEED_TIME_ZONE = 'Asia/Shanghai';

/** The seed's `Datetime` header and its other times: `yyyy-MM-dd HH:mm:ss`, China time. */
export const seedDatetime = (at: Date): string => formatLocal(at, SEED_TIME_ZONE);
