import { AppError } from '../../core/errors';

const pgCode = (err: unknown): string | undefined => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code;
};
const pgTable = (err: unknown): string | undefined => {
  const e = err as { table?: string; cause?: { table?: string } };
  return e.table ?? e.cause?.table;
};

/** Runs a write; a unique violation becomes a 409 (4003) naming the field. */
export async function conflictOnDuplicate<T>(
  fn: () => Promise<T>,
  field: string,
  message: string,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (pgCode(err) === '23505')
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
    if (pgCode(err) === '23503') {
      const table = pgTable(err) ?? '其他数据';
      throw new AppError('in_use', `${what}正在被 ${table} 中的记录使用，不能删除`, {
        dependents: [{ table }],
      });
    }
    throw err;
  }
}
