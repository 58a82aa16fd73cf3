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
