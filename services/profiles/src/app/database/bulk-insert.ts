import type { EntityManager } from '@mikro-orm/mysql';

/** Placeholders per statement: well under the server's prepared-statement limit (65,535). */
const MAX_PLACEHOLDERS = 30_000;

/**
 * Multi-row INSERTs of plain rows (values already in column form: JSON as text, booleans as 0/1), in the caller's
 * transaction. Used where the unit of work's per-entity bookkeeping would dominate (imports): one statement per
 * few thousand rows instead of one per row.
 */
export async function bulkInsert(em: EntityManager, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  if (!rows.length) return;
  const perStatement = Math.max(1, Math.floor(MAX_PLACEHOLDERS / columns.length));
  const head = `insert into \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await em.execute(head + Array.from({ length: chunk.length }, () => tuple).join(', '), chunk.flat(), 'run');
  }
}

/** A DATETIME(3) literal in UTC (the connection's time zone), independent of driver date handling. */
export function sqlDateTime(date: Date): string {
  return date.toISOString().slice(0, 23).replace('T', ' ');
}
