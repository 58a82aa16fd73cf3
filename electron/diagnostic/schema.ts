/**
 * Whether the practice database's schema is the one Ordo's migrations make: every table, index,
 * view and trigger of `sqlite_master` compared with those of a fresh in-memory database migrated
 * to the same version. No hand-written list: a trigger dropped (the audit log's append-only ones),
 * changed, or added by someone else, and a table rebuilt with other checks, all show.
 */
import Database from 'better-sqlite3';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations';
import type { Db, OpenOptions } from '../db/types';

export interface SchemaCheck {
  ok: boolean;
  /** Objects compared (tables, indexes, views, triggers the migrations make). */
  objects: number;
  /** One French sentence per difference. */
  differences: string[];
}

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

const KIND: Record<string, string> = { table: 'la table', index: 'l’index', view: 'la vue', trigger: 'le déclencheur' };

function objectsOf(db: Db): Map<string, SchemaObject> {
  const rows = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name").all() as SchemaObject[];
  return new Map(rows.map((row) => [`${row.type}:${row.name}`, row]));
}

/** Whitespace aside (a migration's indentation is not the schema). */
const normalised = (sql: string | null) => (sql === null ? null : sql.replace(/\s+/g, ' ').trim());

/** The schema the migrations make up to `version`, in a fresh in-memory database. */
export function expectedSchema(version: number, sqlite: OpenOptions = {}): Map<string, SchemaObject> {
  const fresh = new Database(':memory:', sqlite.nativeBinding === undefined ? {} : { nativeBinding: sqlite.nativeBinding });
  try {
    migrate(fresh, migrations.slice(0, version));
    return objectsOf(fresh);
  } finally {
    fresh.close();
  }
}

export function checkSchema(db: Db, version: number, sqlite: OpenOptions = {}): SchemaCheck {
  const expected = expectedSchema(Math.min(version, migrations.length), sqlite);
  const actual = objectsOf(db);
  const differences: string[] = [];
  const label = (o: SchemaObject) => `${KIND[o.type] ?? o.type} « ${o.name} »`;
  const agreed = (o: SchemaObject) => (o.type === 'table' || o.type === 'view' ? 'e' : '');
  for (const [id, want] of expected) {
    const have = actual.get(id);
    if (have === undefined) differences.push(`${label(want)} manque`);
    else if (normalised(have.sql) !== normalised(want.sql) || have.tbl_name !== want.tbl_name) differences.push(`${label(want)} a été modifié${agreed(want)}`);
  }
  for (const [id, have] of actual) if (!expected.has(id)) differences.push(`${label(have)} a été ajouté${agreed(have)}`);
  return { ok: differences.length === 0, objects: expected.size, differences };
}

/** The diagnostic's sentence for the differences found. */
export function schemaProblem(check: SchemaCheck): string {
  return `Le schéma de la base a été modifié en dehors d’Ordo (${check.differences.join(' ; ')}) : ses protections (dont celles du journal d’audit) ne sont plus celles d’Ordo.`;
}
