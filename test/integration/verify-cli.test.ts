/**
 * `ordo verify CODE|FILE [--data-dir D] [--keys DIR]`: the signed QR payload checked offline with
 * the public keys of the data folder and of other folders; exit 0 valid, 1 invalid, 2 unreadable,
 * and one JSON object {valid, id, issuedAt, prescriber, reason}.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passphraseProtector } from '../../electron/keys/passphrase';
import { ensureSigningKey, publicKeysDir } from '../../electron/keys/signing-key';
import { QR_PREFIX, sealPayload } from '../../electron/signing/seal';
import { runOrdo } from '../support/cli';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-verify-cli-');
afterAll(() => tmp.remove());
const practice = join(tmp.dir, 'cabinet');
const elsewhere = join(tmp.dir, 'autre-cabinet');
const protector = passphraseProtector('une phrase de passe de test');
const key = ensureSigningKey(practice, protector);
const otherKey = ensureSigningKey(elsewhere, protector);
const claims = {
  id: '01S2TBPZ2JCNZZYGH3',
  issuedAt: new Date('2026-12-03T09:41:27Z'),
  prescriberRpps: '10003456789',
  contentDigest: createHash('sha256').update('contenu').digest(),
  auditHead: createHash('sha256').update('journal').digest(),
};
const code = sealPayload({ ...claims, keyId: key.keyId }, key.privateKey);
const foreign = sealPayload({ ...claims, keyId: otherKey.keyId }, otherKey.privateKey);

function verify(...args: string[]) {
  const result = runOrdo(['verify', ...args]);
  return { status: result.status, json: JSON.parse(result.stdout.trim()) as Record<string, unknown>, stderr: result.stderr };
}

describe('ordo verify', () => {
  it('says valid, with the id, the date and the prescriber, and exits 0', () => {
    const result = verify(code, '--data-dir', practice);
    expect(result.status).toBe(0);
    expect(result.json).toEqual({ valid: true, id: claims.id, issuedAt: '2026-12-03T09:41:27.000Z', prescriber: '10003456789', reason: null });
    expect(result.stderr).toContain('signature valide');
  });

  it('reads the code from a file too', () => {
    const file = join(tmp.dir, 'code.txt');
    writeFileSync(file, `${code}\n`);
    expect(verify(file, '--data-dir', practice).status).toBe(0);
  });

  it('says invalid for a changed code or an unknown key, with the reason, and exits 1', () => {
    // The first Base45 triple of the signature changed: still readable, no longer signed.
    const i = code.length - 6;
    const changed = `${code.slice(0, i)}${code[i] === '0' ? '1' : '0'}${code.slice(i + 1)}`;
    const tampered = verify(changed, '--data-dir', practice);
    expect([1, 2]).toContain(tampered.status);
    expect(tampered.json.valid).toBe(false);
    const unknown = verify(foreign, '--data-dir', practice);
    expect(unknown.status).toBe(1);
    expect(unknown.json).toMatchObject({ valid: false, id: claims.id, reason: expect.stringMatching(/inconnue ici/) as unknown });
    // With the other practice's public keys: valid.
    expect(verify(foreign, '--data-dir', practice, '--keys', publicKeysDir(elsewhere)).status).toBe(0);
  });

  it('says unreadable, in French, and exits 2', () => {
    for (const argument of [`${QR_PREFIX}???`, 'HC1:NCFOXN', join(tmp.dir, 'absent.txt')]) {
      const result = verify(argument, '--data-dir', practice);
      expect(result.status, argument).toBe(2);
      expect(result.json).toMatchObject({ valid: false, id: null });
      expect(String(result.json.reason)).toMatch(/[éèà]|code|fichier/);
    }
  });
});

describe('ordo demo-seed, ordo pdf, ordo verify FILE.pdf', () => {
  const demo = join(tmp.dir, 'demo');
  // No passphrase given: demo-seed protects its demonstration key with its own, and says so.
  const env = { ORDO_KEY_PASSPHRASE: '' };

  it('seeds five signed prescriptions, writes their PDFs, and reads each one’s QR code back as valid', () => {
    const seeded = runOrdo(['demo-seed', '--data-dir', demo], { env });
    expect(seeded.status, seeded.stderr).toBe(0);
    expect(seeded.stderr).toContain('« ordo-demo »');
    const { prescriptions } = JSON.parse(seeded.stdout.trim()) as { prescriptions: { kind: string; id: number; rxId: string }[] };
    expect(prescriptions.map((p) => p.kind)).toEqual(['plain', 'bizoneAld', 'narcotic', 'childWithWeight', 'nonSubstitutableMte']);
    for (const p of prescriptions) {
      // By its number here for one, by its legal id for the others.
      const file = join(tmp.dir, `${p.rxId}.pdf`);
      const written = runOrdo(['pdf', p.kind === 'plain' ? String(p.id) : p.rxId, '--out', file, '--data-dir', demo]);
      expect(written.status, written.stderr).toBe(0);
      expect(JSON.parse(written.stdout.trim())).toMatchObject({ id: p.id, rxId: p.rxId, out: file });
      const checked = verify(file, '--data-dir', demo);
      expect(checked.status, checked.stderr).toBe(0);
      expect(checked.json).toMatchObject({ valid: true, id: p.rxId, reason: null });
      // Another practice does not know this key: invalid, with the reason.
      expect(verify(file, '--data-dir', practice)).toMatchObject({ status: 1, json: { valid: false, id: p.rxId } });
    }
    // A second seed of the same folder is refused: it is not new any more.
    const again = runOrdo(['demo-seed', '--data-dir', demo], { env });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('ne remplit qu’un dossier neuf');
  });

  it('says unreadable for a PDF without a QR code, and for an unknown prescription', () => {
    const blank = join(tmp.dir, 'blank.pdf');
    writeFileSync(
      blank,
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    const result = verify(blank, '--data-dir', practice);
    expect(result.status).toBe(2);
    expect(result.json.reason).toBe('aucun code QR lisible dans ce PDF');
    const missing = runOrdo(['pdf', 'ZZZZZZZZZZZZZZZZZZ', '--out', join(tmp.dir, 'x.pdf'), '--data-dir', practice]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Aucune ordonnance signée ici');
  });
});
