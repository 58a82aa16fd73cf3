/**
 * Issue 9, point 5: tampering with the audit log shows. Each case is what an attacker holding
 * only the database file can do with another SQLite tool (Ordo closed): `ordo doctor` must exit
 * non-zero and say what happened in French in its JSON report. Before the keyed chain, the anchor
 * and the schema check, it answered « ok » to every one of them.
 */
import Database from 'better-sqlite3';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../shared/calls/app';
import { createApp } from '../../electron/app';
import { fixedClock } from '../../electron/clock';
import { appendAudit } from '../../electron/audit/audit';
import { writeTransaction } from '../../electron/db/transaction';
import { runOrdo } from '../support/cli';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-tamper-');
afterAll(() => tmp.remove());
const at = new Date('2026-11-25T10:00:00Z');
const ROWS = 6;

/** A data folder as Ordo leaves it: a few audited changes, each anchored after its commit. */
function practice(dir: string): void {
  const app = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false } });
  try {
    for (let i = 1; i <= ROWS; i++) {
      writeTransaction(app.db, () => appendAudit(app.db, { actor: 'prescriber', action: 'patient.updated', subject: `patient:${i}`, details: { fields: ['city'] } }, at));
    }
  } finally {
    app.close();
  }
}

let pristine: string;
beforeAll(() => {
  pristine = join(tmp.dir, 'pristine');
  practice(pristine);
});

let cases = 0;
/** A copy of the pristine folder (database, key store, anchor) to tamper with. */
function copy(): string {
  const dir = join(tmp.dir, `case-${++cases}`);
  cpSync(pristine, dir, { recursive: true });
  rmSync(join(dir, 'in-use'), { recursive: true, force: true });
  return dir;
}

/** The attacker's tool: plain SQLite on the file, no Ordo code. */
function tamper(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(join(dir, 'ordo.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

/** Drops the audit log's triggers, runs `edit`, and puts them back exactly as they were. */
function aroundTriggers(db: Database.Database, edit: () => void): void {
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string; sql: string }[];
  expect(triggers.length).toBeGreaterThanOrEqual(2);
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  edit();
  for (const t of triggers) db.exec(t.sql);
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
  alg: string;
  key_id: string | null;
}
const sha256Of = (r: Row) => createHash('sha256').update(JSON.stringify([r.seq, r.at, r.actor, r.action, r.subject, r.details, r.prev_hash])).digest('hex');
const hmacOf = (key: Buffer, keyId: string, r: Row) =>
  createHmac('sha256', key).update(JSON.stringify(['hmac-sha256', keyId, r.seq, r.at, r.actor, r.action, r.subject, r.details, r.prev_hash])).digest('hex');

/** Rewrites every row from `fromSeq` with `hashOf`, re-linking each to the previous one. */
function rechain(db: Database.Database, fromSeq: number, hashOf: (r: Row) => Partial<Row>): void {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
  const update = db.prepare('UPDATE audit_log SET prev_hash = @prev_hash, hash = @hash, alg = @alg, key_id = @key_id, subject = @subject WHERE seq = @seq');
  let prev = '0'.repeat(64);
  for (const row of rows) {
    if (row.seq >= fromSeq) {
      const next = { ...row, prev_hash: prev };
      Object.assign(next, hashOf(next));
      update.run(next);
      prev = next.hash;
    } else prev = row.hash;
  }
}

function doctor(dir: string, env?: Record<string, string>): { status: number | null; report: Diagnostic; stderr: string } {
  const result = runOrdo(['doctor', '--data-dir', dir], env === undefined ? {} : { env });
  expect(result.stderr).not.toMatch(/Erreur inattendue|\n\s+at /);
  return { status: result.status, report: JSON.parse(result.stdout) as Diagnostic, stderr: result.stderr };
}

function expectReported(dir: string, problem: RegExp): Diagnostic {
  const { status, report, stderr } = doctor(dir);
  expect(status).toBe(1);
  expect(report.ok).toBe(false);
  expect(report.problems.some((p) => problem.test(p)), report.problems.join('\n')).toBe(true);
  expect(stderr).toMatch(problem);
  return report;
}

describe('ordo doctor and the audit log', () => {
  it('says « ok » for a log Ordo wrote: keyed, anchored at its head, schema unchanged', () => {
    const { status, report } = doctor(copy());
    expect(status).toBe(0);
    expect(report).toMatchObject({
      ok: true,
      problems: [],
      audit: { ok: true, entries: ROWS, legacy: 0, keyed: ROWS, key: 'ok', anchor: { state: 'ok', seq: ROWS } },
      schema: { ok: true, differences: [] },
    });
  });

  it('deleting the last rows (triggers dropped, then put back) leaves the log short of its anchor', () => {
    const dir = copy();
    tamper(dir, (db) => aroundTriggers(db, () => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(ROWS - 2)));
    const report = expectReported(dir, new RegExp(`supprimées à la fin du journal d’audit : l’ancre enregistrée hors de la base en atteste ${ROWS}, la base n’en contient que ${ROWS - 2}`));
    expect(report.audit.anchor).toEqual({ state: 'ahead', seq: ROWS });
    expect(report.schema).toMatchObject({ ok: true });
  });

  it('deleting every row', () => {
    const dir = copy();
    tamper(dir, (db) => aroundTriggers(db, () => db.exec('DELETE FROM audit_log')));
    expectReported(dir, /Le journal d’audit a été vidé en dehors d’Ordo : l’ancre enregistrée hors de la base atteste 6 entrées/);
  });

  it('dropping the table and creating it again, triggers and all', () => {
    const dir = copy();
    tamper(dir, (db) => {
      const schema = db.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'audit_log' AND sql IS NOT NULL ORDER BY type = 'trigger'").pluck().all() as string[];
      db.exec('DROP TABLE audit_log');
      for (const sql of schema) db.exec(sql);
    });
    const report = expectReported(dir, /Le journal d’audit a été vidé en dehors d’Ordo/);
    expect(report.schema).toMatchObject({ ok: true });
  });

  it('dropping the table and creating it again without its triggers', () => {
    const dir = copy();
    tamper(dir, (db) => {
      const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").pluck().get() as string;
      db.exec('DROP TABLE audit_log');
      db.exec(table);
    });
    const report = expectReported(dir, /Le schéma de la base a été modifié en dehors d’Ordo \(.*le déclencheur « audit_log_no_delete » manque/);
    expect(report.problems.some((p) => p.includes('vidé'))).toBe(true);
  });

  it('dropping only the append-only triggers', () => {
    const dir = copy();
    tamper(dir, (db) => db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete'));
    const report = expectReported(dir, /le déclencheur « audit_log_no_delete » manque ; le déclencheur « audit_log_no_update » manque/);
    // The log itself is intact: the schema is the only thing wrong.
    expect(report.audit).toMatchObject({ ok: true, anchor: { state: 'ok' } });
    expect(report.problems).toHaveLength(1);
  });

  it('changing a trigger so that it lets deletes through', () => {
    const dir = copy();
    tamper(dir, (db) => db.exec("DROP TRIGGER audit_log_no_delete; CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN 0 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"));
    expectReported(dir, /le déclencheur « audit_log_no_delete » a été modifié/);
  });

  it('editing a row and recomputing the SHA-256 of every row from it', () => {
    const dir = copy();
    tamper(dir, (db) =>
      aroundTriggers(db, () => rechain(db, 3, (r) => ({ subject: r.seq === 3 ? 'patient:99' : r.subject, hash: sha256Of({ ...r, subject: r.seq === 3 ? 'patient:99' : r.subject }) }))),
    );
    const report = expectReported(dir, /l’empreinte de l’entrée 3 ne correspond pas à son contenu/);
    expect(report.audit).toMatchObject({ ok: false, brokenAt: 3, entries: 2 });
  });

  it('editing a row and rewriting the whole log as unkeyed rows with correct SHA-256 (a downgrade)', () => {
    const dir = copy();
    tamper(dir, (db) =>
      aroundTriggers(db, () =>
        rechain(db, 1, (r) => {
          const subject = r.seq === 3 ? 'patient:99' : r.subject;
          return { subject, alg: 'sha256', key_id: null, hash: sha256Of({ ...r, subject }) };
        }),
      ),
    );
    // Every SHA-256 holds now: only the anchor, kept outside the database, shows the rewrite.
    const report = expectReported(dir, new RegExp(`Le journal d’audit a été réécrit en dehors d’Ordo : l’entrée ${ROWS} ne correspond plus à l’ancre`));
    expect(report.audit).toMatchObject({ legacy: ROWS, keyed: 0, anchor: { state: 'mismatch' } });
  });

  it('editing a row and recomputing every following HMAC with a key of the attacker’s own', () => {
    const dir = copy();
    const forgedKey = randomBytes(32);
    tamper(dir, (db) =>
      aroundTriggers(db, () =>
        rechain(db, 3, (r) => {
          const subject = r.seq === 3 ? 'patient:99' : r.subject;
          return { subject, hash: hmacOf(forgedKey, r.key_id ?? '', { ...r, subject }) };
        }),
      ),
    );
    expectReported(dir, /l’empreinte de l’entrée 3 ne correspond pas à son contenu/);
  });

  it('the same under a key id of the attacker’s own', () => {
    const dir = copy();
    const forgedKey = randomBytes(32);
    tamper(dir, (db) =>
      aroundTriggers(db, () =>
        rechain(db, 3, (r) => {
          const subject = r.seq === 3 ? 'patient:99' : r.subject;
          return { subject, key_id: 'feedfacefeedface', hash: hmacOf(forgedKey, 'feedfacefeedface', { ...r, subject }) };
        }),
      ),
    );
    expectReported(dir, /Les entrées 3 à 6 du journal d’audit ont été faites avec une clé \(feedfacefeedface\) absente du dossier des clés/);
    expectReported(dir, /l’entrée 6 ne correspond plus à l’ancre/);
  });

  it('appending a forged row with a correct SHA-256 hash', () => {
    const dir = copy();
    tamper(dir, (db) =>
      aroundTriggers(db, () => {
        const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
        const row = { seq: last.seq + 1, at: at.toISOString(), actor: 'prescriber', action: 'patient.deleted', subject: 'patient:1', details: '{}', prev_hash: last.hash, hash: '', alg: 'sha256', key_id: null };
        row.hash = sha256Of(row);
        db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash, alg, key_id) VALUES (@seq, @at, @actor, @action, @subject, @details, @prev_hash, @hash, @alg, @key_id)').run(row);
      }),
    );
    const report = expectReported(dir, new RegExp(`l’entrée ${ROWS + 1} a été ajoutée sans la clé d’Ordo`));
    expect(report.audit).toMatchObject({ brokenAt: ROWS + 1, entries: ROWS });
  });

  it('appending a forged row that claims Ordo’s key', () => {
    const dir = copy();
    tamper(dir, (db) => {
      const last = db.prepare('SELECT seq, hash, key_id FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string; key_id: string };
      const row = { seq: last.seq + 1, at: at.toISOString(), actor: 'prescriber', action: 'patient.deleted', subject: 'patient:1', details: '{}', prev_hash: last.hash, hash: '', alg: 'hmac-sha256', key_id: last.key_id };
      row.hash = sha256Of(row);
      db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash, alg, key_id) VALUES (@seq, @at, @actor, @action, @subject, @details, @prev_hash, @hash, @alg, @key_id)').run(row);
    });
    expectReported(dir, new RegExp(`l’empreinte de l’entrée ${ROWS + 1} ne correspond pas à son contenu`));
  });

  it('an older copy of the database put in place of the current one', () => {
    const dir = copy();
    const older = join(tmp.dir, `older-${cases}`);
    // The same practice three changes earlier: a file the attacker kept.
    cpSync(dir, older, { recursive: true });
    tamper(older, (db) => aroundTriggers(db, () => db.prepare('DELETE FROM audit_log WHERE seq > 3').run()));
    copyFileSync(join(older, 'ordo.db'), join(dir, 'ordo.db'));
    expectReported(dir, /en atteste 6, la base n’en contient que 3/);
  });

  it('the database of another data folder put in place of this one', () => {
    const dir = copy();
    const other = join(tmp.dir, `other-${cases}`);
    practice(other);
    copyFileSync(join(other, 'ordo.db'), join(dir, 'ordo.db'));
    expectReported(dir, /Les entrées 1 à 6 du journal d’audit ont été faites avec une clé \([0-9a-f]{16}\) absente du dossier des clés/);
    expectReported(dir, /l’entrée 6 ne correspond plus à l’ancre/);
  });
});

describe('the audit key and the anchor, outside the database', () => {
  it('a missing key is reported, and Ordo’s next start records the new key it had to make', () => {
    const dir = copy();
    const keyFile = join(dir, 'keys', 'audit.key');
    const original = readFileSync(keyFile);
    rmSync(keyFile);
    const report = expectReported(dir, /La clé du journal d’audit est absente \(.*audit\.key\) : le journal ne peut pas être vérifié/);
    expect(report.audit.key).toBe('missing');

    const app = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false } });
    const actions = app.db.prepare('SELECT action FROM audit_log WHERE seq > ? ORDER BY seq').pluck().all(ROWS);
    app.close();
    expect(actions).toEqual(['audit.anchor.recreated', 'audit.key.replaced']);
    expectReported(dir, /Les entrées 1 à 6 du journal d’audit ont été faites avec une clé \([0-9a-f]{16}\) absente du dossier des clés/);

    // The old key put back beside the new one: everything verifies again; what happened stays said.
    writeFileSync(join(dir, 'keys', 'ancienne.key'), original);
    const { status, report: after, stderr } = doctor(dir);
    expect(after.problems).toEqual([]);
    expect(status).toBe(0);
    expect(after.warnings).toEqual([
      expect.stringMatching(new RegExp(`l’ancre du journal d’audit était fausse : elle a été recréée \\(entrée ${ROWS + 1}\\)`)),
      expect.stringMatching(new RegExp(`la clé du journal d’audit était absente : Ordo en a créé une nouvelle \\(entrée ${ROWS + 2}\\)`)),
    ]);
    for (const warning of after.warnings) expect(stderr).toContain(warning);
  });

  it('a deleted anchor stays visible after the start re-created it: doctor warns with the date and the entry, on stderr', () => {
    const dir = copy();
    rmSync(join(dir, 'ordo.db.anchor'));
    expectReported(dir, /L’ancre du journal d’audit est absente/);
    const app = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false }, clock: fixedClock('2026-12-02T17:05:00Z') });
    app.close();
    const { status, report, stderr } = doctor(dir, { TZ: 'Europe/Paris' });
    const warning = `Le 02/12/2026 à 18:05, l’ancre du journal d’audit était absente : elle a été recréée (entrée ${ROWS + 1}). Si personne n’a restauré ni déplacé le dossier des données, le journal a pu être modifié.`;
    expect(report).toMatchObject({ ok: true, problems: [], warnings: [warning] });
    expect(status).toBe(0);
    expect(stderr).toContain(warning);
  });

  it('a damaged key file is reported as such', () => {
    const dir = copy();
    const keyFile = join(dir, 'keys', 'audit.key');
    const document = JSON.parse(readFileSync(keyFile, 'utf8')) as { sealed: string };
    const sealed = Buffer.from(document.sealed, 'base64');
    sealed[0] = sealed[0]! ^ 1;
    writeFileSync(keyFile, JSON.stringify({ ...document, sealed: sealed.toString('base64') }));
    const report = expectReported(dir, /La clé du journal d’audit est illisible \(.*audit\.key\) : le fichier est endommagé/);
    expect(report.audit.key).toBe('unreadable');
  });

  it('an anchor left behind by a crash is tolerated when the rows after it hold, and caught up at the next start', () => {
    const dir = copy();
    const anchorFile = join(dir, 'ordo.db.anchor');
    const before = readFileSync(anchorFile);
    const app = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false } });
    for (let i = 0; i < 2; i++) writeTransaction(app.db, () => appendAudit(app.db, { actor: 'prescriber', action: 'patient.created', subject: `patient:${10 + i}`, details: {} }, at));
    app.close();
    // As if the process died after its commits, before their anchor.
    writeFileSync(anchorFile, before);
    const { status, report } = doctor(dir);
    expect(report.audit).toMatchObject({ ok: true, anchor: { state: 'behind', seq: ROWS } });
    expect(status).toBe(0);

    createApp({ dataDir: dir, mode: 'host', jobs: { threads: false } }).close();
    expect(doctor(dir).report.audit.anchor).toEqual({ state: 'ok', seq: ROWS + 2 });
  });

  it('a forged row after an anchor left behind is not tolerated, and the next start does not anchor over it', () => {
    const dir = copy();
    const anchorFile = join(dir, 'ordo.db.anchor');
    const behind = readFileSync(anchorFile);
    const app = createApp({ dataDir: dir, mode: 'host', jobs: { threads: false } });
    for (let i = 0; i < 2; i++) writeTransaction(app.db, () => appendAudit(app.db, { actor: 'prescriber', action: 'patient.created', subject: `patient:${10 + i}`, details: {} }, at));
    app.close();
    writeFileSync(anchorFile, behind);
    // Rows 7 and 8 are past the anchor; the attacker rewrites row 8 with a key of their own.
    const forgedKey = randomBytes(32);
    tamper(dir, (db) => aroundTriggers(db, () => rechain(db, ROWS + 2, (r) => ({ subject: 'patient:99', hash: hmacOf(forgedKey, r.key_id ?? '', { ...r, subject: 'patient:99' }) }))));
    expectReported(dir, new RegExp(`l’empreinte de l’entrée ${ROWS + 2} ne correspond pas à son contenu`));

    createApp({ dataDir: dir, mode: 'host', jobs: { threads: false } }).close();
    // Moved over row 7, which holds, and not over the forged one.
    const report = expectReported(dir, new RegExp(`l’empreinte de l’entrée ${ROWS + 2} ne correspond pas à son contenu`));
    expect(report.audit.anchor).toEqual({ state: 'behind', seq: ROWS + 1 });
  });

  it('a rewritten anchor file is not authentic', () => {
    const dir = copy();
    const anchorFile = join(dir, 'ordo.db.anchor');
    const anchor = JSON.parse(readFileSync(anchorFile, 'utf8')) as { seq: number };
    writeFileSync(anchorFile, JSON.stringify({ ...anchor, seq: 3 }));
    expectReported(dir, /L’ancre du journal d’audit \(.*\) n’est pas authentique/);
  });
});
