/**
 * End-to-end harness: `ordo serve` on a temporary data folder, Debian's Chromium driven by
 * playwright-core. Needs the renderer built (`npm run build`; `npm test` does it first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { rpc, serveOrdo, type ServedOrdo } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { repoRoot } from '../support/paths';
import { tempDir } from '../support/tmp';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
export const rendererMissing = !existsSync(join(repoRoot, 'dist', 'renderer', 'index.html'));

/** Why the e2e suite cannot run here, or undefined. In CI a missing browser is a failure, not a skip. */
export function e2eSkipReason(): string | undefined {
  const reason = chromiumMissing
    ? `Chromium absent at ${CHROMIUM} (apt-get install chromium)`
    : rendererMissing
      ? 'renderer not built (npm run build)'
      : undefined;
  if (reason !== undefined && process.env['CI'] !== undefined) throw new Error(`e2e cannot run in CI: ${reason}`);
  if (reason !== undefined) process.stderr.write(`e2e skipped: ${reason}\n`);
  return reason;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Session {
  served: ServedOrdo;
  dataDir: string;
  browser: Browser;
  page: Page;
  /** Console errors and CSP violations seen by the page. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A fresh data folder, a running host, a browser page opened on the app. */
export async function openSession(env: Record<string, string> = {}): Promise<Session> {
  const tmp = tempDir('ordo-e2e-');
  const served = await serveOrdo(tmp.dir, env);
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(served.url);
  return {
    served,
    dataDir: tmp.dir,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await served.stop();
      tmp.remove();
    },
  };
}

/** A session past the first run: the prescriber's profile saved, the app reloaded on its frame. */
export async function openSignedInSession(env: Record<string, string> = {}): Promise<Session> {
  const session = await openSession(env);
  expect(await rpc(session.served, 'profile.save', validProfile)).toMatchObject({ body: { ok: true } });
  await session.page.reload();
  await session.page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
  return session;
}

/**
 * A prescription signed through the host (the screens under test open it afterwards): a new
 * patient, one paracétamol line (a demonstration drug with no check against this patient),
 * signed with `requestId`.
 */
export async function signedPrescription(served: ServedOrdo, patient: Record<string, unknown>, requestId: string): Promise<{ id: number; patientId: number; rxId: string; qrPayload: string }> {
  const created = await rpc(served, 'patients.create', { patient });
  const patientId = (created.body.value as { id: number }).id;
  const draft = (await rpc(served, 'prescriptions.create', { patientId })).body.value as { id: number; version: number };
  await rpc(served, 'prescriptions.save', {
    id: draft.id,
    version: draft.version,
    lines: [{ kind: 'drug', key: '00000000-0000-4000-8000-000000000001', cis: '69999008', posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 3 } }, duration: { value: 5, unit: 'days' } }],
  });
  const signed = await rpc(served, 'prescriptions.sign', { id: draft.id, requestId });
  expect(signed.body.ok, JSON.stringify(signed.body)).toBe(true);
  const { rxId, qrPayload } = (signed.body.value as { signature: { rxId: string; qrPayload: string } }).signature;
  return { id: draft.id, patientId, rxId, qrPayload };
}
