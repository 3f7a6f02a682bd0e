import { AppError, isUniqueViolation, pgErrorOf } from '../../core/errors';

/** Runs a write; a unique violation becomes a 409 (4003) naming the field. */
export async function conflictOnDuplicate<T>(
  fn: () => Promise<T>,
  field: string,
  message: string,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', message, { field, rule: '名称在本组织内唯一' });
    throw err;
  }
}

/**
 * Runs a delete; a foreign key from another feature's table (alarm rules, provincial-platform items,
 * ...) becomes a 409 (4004) naming that table, so nothing is cascaded silently.
 */
export async function refusedByDependents(fn: () => Promise<void>, what: string): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code === '23503') {
      const table = pg.table ?? '其他数据';
      throw new AppError('in_use', `${what}正在被 ${table} 中的记录使用，不能删除`, {
        dependents: [{ table }],
      });
    }
    throw err;
  }
}
