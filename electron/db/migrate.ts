/**
 * Numbered, append-only migrations stamped in `user_version`, all pending ones applied in one
 * transaction. A database stamped with a version this build does not know is refused.
 */
import { OrdoError } from '../../shared/errors';
import { writeTransaction } from './transaction';
import type { Db, Migration } from './types';

export type { Migration } from './types';

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function latestVersion(list: readonly Migration[]): number {
  return list.length === 0 ? 0 : list[list.length - 1]!.version;
}

export function migrate(db: Db, list: readonly Migration[]): { from: number; to: number } {
  list.forEach((m, index) => {
    if (m.version !== index + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${index + 1}`);
  });
  const from = schemaVersion(db);
  const to = latestVersion(list);
  if (from > to) {
    throw new OrdoError(
      'DATABASE_TOO_NEW',
      `Cette base de données (version ${from}) a été créée par une version plus récente d’Ordo (qui connaît la version ${to}). Mettez Ordo à jour pour l’ouvrir.`,
    );
  }
  if (from === to) return { from, to };
  writeTransaction(db, () => {
    const pending = list.slice(from);
    for (const m of pending) {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
    }
    for (const derive of new Set(pending.flatMap((m) => (m.derive === undefined ? [] : [m.derive])))) derive(db);
    db.pragma(`user_version = ${to}`);
  });
  return { from, to };
}
