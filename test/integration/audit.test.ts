import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../electron/audit/audit';
import { openDatabase } from '../../electron/db/open';
import { tempDir } from '../support/tmp';

const tmp = tempDir();
afterAll(() => tmp.remove());
const at = new Date('2026-11-25T10:00:00Z');

describe('audit log', () => {
  it('chains entries and refuses updates and deletes', () => {
    const db = openDatabase(join(tmp.dir, 'audit.db'));
    for (let i = 0; i < 3; i++) appendAudit(db, { actor: 'prescriber', action: 'test', subject: `s${i}`, details: { i } }, at);
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 3 });
    expect(() => db.prepare("UPDATE audit_log SET action = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    db.close();
  });

  it('detects tampering done around the triggers', () => {
    const db = openDatabase(join(tmp.dir, 'tamper.db'));
    for (let i = 0; i < 3; i++) appendAudit(db, { actor: 'prescriber', action: 'test', subject: `s${i}`, details: {} }, at);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET subject = 'forged' WHERE seq = 2").run();
    expect(verifyAudit(db)).toEqual({ ok: false, entries: 1, brokenAt: 2 });
    db.close();
  });
});
