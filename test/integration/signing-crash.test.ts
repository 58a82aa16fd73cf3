/**
 * `kill -9` of `ordo serve` while it signs: every prescription is afterwards either a draft with
 * nothing of a signature, or signed with its signature row, its audit row and its two outbox
 * rows — never half. The next start signs the rest with the same request ids, each once.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../electron/paths';
import { rpc, runOrdo, serveOrdo, type ServedOrdo } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-signing-crash-');
const env = { ORDO_KEY_PASSPHRASE: 'une phrase de passe de test' };
let served: ServedOrdo | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
});
afterAll(() => tmp.remove());

async function value<T>(s: ServedOrdo, name: string, input: unknown = {}): Promise<T> {
  const { body } = await rpc(s, name, input);
  if (!body.ok) throw new Error(`${name}: ${body.error?.code} ${body.error?.message}`);
  return body.value as T;
}

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const DRAFTS = 40;

/** Per prescription: its state and how many signature, audit and outbox rows it has. */
function stateOf(dataDir: string): { id: number; state: string; signatures: number; audits: number; outbox: number }[] {
  const db = new Database(databasePath(dataDir), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.id, p.state,
           (SELECT count(*) FROM prescription_signatures s WHERE s.prescription_id = p.id) AS signatures,
           (SELECT count(*) FROM audit_log a WHERE a.action = 'prescription.signed' AND a.subject = 'prescription:' || p.id) AS audits,
           (SELECT count(*) FROM outbox o WHERE o.prescription_id = p.id) AS outbox
         FROM prescriptions p ORDER BY p.id`,
      )
      .all() as { id: number; state: string; signatures: number; audits: number; outbox: number }[];
  } finally {
    db.close();
  }
}

describe('a process killed while signing', { timeout: 180_000 }, () => {
  it('leaves each prescription whole, draft or signed, and the next start signs the rest once', async () => {
    const dataDir = join(tmp.dir, 'data');
    served = await serveOrdo(dataDir, env);
    await value(served, 'profile.save', validProfile);
    const { id: patientId } = await value<{ id: number }>(served, 'patients.create', { patient: { birthName: 'Durand', firstNames: 'Luc', sex: 'M', birthDate: '03/04/1961' } });
    const ids: number[] = [];
    for (let i = 0; i < DRAFTS; i++) {
      const draft = await value<{ id: number; version: number }>(served, 'prescriptions.create', { patientId });
      await value(served, 'prescriptions.save', {
        id: draft.id,
        version: draft.version,
        lines: [{ kind: 'drug', key: uuid(1000 + i), cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 } }, duration: { value: 5, unit: 'days' } }],
      });
      ids.push(draft.id);
    }
    // The first signature creates the key (scrypt): done before, so the kill lands among signatures.
    await value(served, 'prescriptions.sign', { id: ids[0]!, requestId: uuid(ids[0]!) });
    const victim = served;
    const signing = ids.slice(1).map((id) => rpc(victim, 'prescriptions.sign', { id, requestId: uuid(id) }).catch(() => undefined));
    // Killed once a few have been signed, while the others are on their way.
    for (let signed = 0; signed < 4; ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      signed = stateOf(dataDir).filter((p) => p.state === 'signed').length;
    }
    await new Promise<void>((resolve) => {
      victim.child.once('exit', () => resolve());
      victim.child.kill('SIGKILL');
    });
    served = undefined;
    await Promise.all(signing);

    const after = stateOf(dataDir);
    const signedNow = after.filter((p) => p.state === 'signed');
    expect(signedNow.length).toBeGreaterThanOrEqual(4);
    expect(signedNow.length, 'the kill came after every signature: nothing was interrupted').toBeLessThan(DRAFTS);
    for (const p of after) {
      if (p.state === 'signed') expect(p, `prescription ${p.id}`).toMatchObject({ signatures: 1, audits: 1, outbox: 2 });
      else expect(p, `prescription ${p.id}`).toMatchObject({ state: 'draft', signatures: 0, audits: 0, outbox: 0 });
    }
    expect(runOrdo(['doctor', '--data-dir', dataDir]).status).toBe(0);

    // The next start: the same requests sign the rest, and answer the signed ones as they are.
    served = await serveOrdo(dataDir, env);
    const rxIds = new Set<string>();
    for (const id of ids) rxIds.add((await value<{ signature: { rxId: string } }>(served, 'prescriptions.sign', { id, requestId: uuid(id) })).signature.rxId);
    expect(rxIds.size).toBe(DRAFTS);
    await served.stop();
    served = undefined;
    expect(stateOf(dataDir).every((p) => p.state === 'signed' && p.signatures === 1 && p.audits === 1 && p.outbox === 2)).toBe(true);
    expect(runOrdo(['doctor', '--data-dir', dataDir]).status).toBe(0);
  });
});
