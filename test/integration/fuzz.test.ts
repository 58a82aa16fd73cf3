/**
 * Random inputs to every contract call through the HTTP host. Inputs come from each call's zod
 * schema and `example` (test/support/zod-arbitrary.ts): most are valid variants that reach the
 * service, the others mutations it must refuse, both rich in nasty text (NUL, escape sequences,
 * bidi controls, lone surrogates, a million characters) and numbers at the schema's CHECK bounds.
 * For each: never DATABASE_ERROR nor INTERNAL (what the schema would refuse, the contract refuses
 * first, with a French message), never a 5xx, the host still answers afterwards, a typed error
 * for what is refused, no row written by a refused call, and at least half of the inputs reach
 * the service. New calls are covered as soon as they are listed in shared/contract.ts.
 *
 * Reproducible: the seed is fixed (each call's own is derived from it and its name); set
 * ORDO_FUZZ_SEED to try others, ORDO_FUZZ_RUNS for more inputs per call (CI keeps the default).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, contract, type CallName } from '../../shared/contract';
import { patientConfirmations } from '../../shared/domain/patient';
import { errorCodes } from '../../shared/errors';
import { rpc } from '../support/cli';
import { startInProcessHost, type InProcessHost } from '../support/host';
import { fuzzInputs } from '../support/zod-arbitrary';

// No call made by the fuzzer may leave this machine: anything that downloads is pointed at a
// closed loopback port (and jobs are only queued here: the runner does not take them).
process.env['ORDO_BDPM_BASE_URL'] = 'http://127.0.0.1:9/';

const SEED = Number(process.env['ORDO_FUZZ_SEED'] ?? 20_261_202);
const RUNS = Number(process.env['ORDO_FUZZ_RUNS'] ?? 400);

/** One seed per call, so adding a call does not change the inputs of the others. */
const seedOf = (name: string) => Array.from({ length: name.length }, (_, i) => name.charCodeAt(i)).reduce((h, c) => (Math.imul(h, 31) + c) | 0, SEED);

/** An input as a failure message names it: long strings cut, so a million characters stay readable. */
const shown = (input: unknown) => JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length} chars)` : v));
const reached = new Map<string, { count: number; distinct: Set<string> }>();
let h: InProcessHost;

beforeAll(async () => {
  h = await startInProcessHost(undefined, {
    backend: 'in-process',
    autoRun: false,
    // Counts what gets past the contract's validation, per call.
    wrapServices: (app) => {
      const services = app.services as Record<string, (input: unknown) => unknown>;
      for (const name of callNames) {
        const run = services[name]!;
        services[name] = (input: unknown) => {
          const entry = reached.get(name) ?? { count: 0, distinct: new Set<string>() };
          entry.count += 1;
          entry.distinct.add(JSON.stringify(input));
          reached.set(name, entry);
          return run(input);
        };
      }
      return app.services;
    },
  });
});
afterAll(async () => {
  const lines = callNames.map((name) => {
    const entry = reached.get(name);
    return `  ${name.padEnd(22)} ${String(entry?.count ?? 0).padStart(4)} / ${RUNS} reached the service (${entry?.distinct.size ?? 0} distinct)`;
  });
  process.stderr.write(`fuzz: inputs that reached each service\n${lines.join('\n')}\n`);
  await h.close();
});

/**
 * The examples the fuzzer varies. A patient's is written without a NIR and with every warning
 * confirmed, so that variants of it are stored (its NIR, taken by the first one, would make every
 * later one a CONFLICT; its names, a duplicate to confirm) and the CHECKs of the table are met.
 */
const confirmedPatient = (example: unknown) => {
  const e = example as { patient: Record<string, unknown> };
  return { ...e, patient: { ...e.patient, nir: null }, confirmed: [...patientConfirmations] };
};
const examples: Partial<Record<CallName, unknown>> = {
  'patients.create': confirmedPatient(contract['patients.create'].example),
  'patients.update': confirmedPatient(contract['patients.update'].example),
};
const exampleOf = (name: CallName) => examples[name] ?? contract[name].example;

/** Calls answered ok, per call: the writes the fuzzer got through. */
const succeeded = new Map<string, number>();

async function checkOne(name: string, input: unknown): Promise<void> {
  const before = h.changes();
  const { status, body } = await rpc(h, name, input);
  // Bad input is the caller's mistake, told in French: never the database's or Ordo's own.
  expect(['DATABASE_ERROR', 'INTERNAL'], `${name} answered ${body.error?.code} for ${shown(input)} (ORDO_FUZZ_SEED=${SEED})`).not.toContain(body.error?.code);
  expect(status, `${name} answered ${status}: ${JSON.stringify(body.error)}`).toBeLessThan(500);
  expect(typeof body.ok).toBe('boolean');
  if (!body.ok) {
    expect(errorCodes).toContain(body.error?.code);
    expect(body.error?.message).toMatch(/\S/);
    expect(h.changes(), `${name} wrote rows although it was refused`).toBe(before);
  } else {
    expect(status).toBe(200);
    succeeded.set(name, (succeeded.get(name) ?? 0) + 1);
  }
}

describe('fuzzing every contract call through the host', () => {
  it.each(callNames)('%s', async (name: CallName) => {
    const before = reached.get(name)?.count ?? 0;
    await fc.assert(
      fc.asyncProperty(fuzzInputs(contract[name].input, exampleOf(name)), ({ input }) => checkOne(name, input)),
      { numRuns: RUNS, seed: seedOf(name) },
    );
    const count = (reached.get(name)?.count ?? 0) - before;
    expect(count, `${name}: only ${count} of ${RUNS} inputs reached the service`).toBeGreaterThanOrEqual(RUNS / 2);
  }, 30_000 + RUNS * 50);

  it('patient records and profiles were stored, not only refused', () => {
    // The writes behind the CHECKs were reached: a fuzzer refused at every turn proves nothing.
    for (const name of ['patients.create', 'patients.update', 'profile.save'] as const) {
      expect(succeeded.get(name) ?? 0, name).toBeGreaterThanOrEqual(RUNS / 4);
    }
  });

  it('each CHECK of the schema, at its bound, is refused first by the contract with the French message of its field', async () => {
    const profile = contract['profile.save'].example as Record<string, unknown>;
    const patient = (exampleOf('patients.create') as { patient: Record<string, unknown> }).patient;
    // [call, input, field the message must name]: a value past each CHECK of 0001, 0002 and the settings.
    const cases: [CallName, unknown, string][] = [
      ...['lastName', 'firstName', 'specialty', 'address', 'city'].map((f): [CallName, unknown, string] => ['profile.save', { ...profile, [f]: '\u0000Martin' }, f]),
      ['profile.save', { ...profile, rpps: '1000315458' }, 'rpps'],
      ['profile.save', { ...profile, amNumber: '７５１２３４５６８' }, 'amNumber'],
      ['profile.save', { ...profile, postalCode: '６９００３' }, 'postalCode'],
      ['profile.save', { ...profile, email: 'claire@' }, 'email'],
      ['profile.save', { ...profile, email: `${'a'.repeat(1_000_000)}@exemple.fr` }, 'email'],
      ...['birthName', 'firstNames', 'usedName', 'city', 'address'].map((f): [CallName, unknown, string] => ['patients.create', { patient: { ...patient, [f]: '\u0000Martin' }, confirmed: [...patientConfirmations] }, `patient.${f}`]),
      ['patients.create', { patient: { ...patient, birthName: 'É'.repeat(101) } }, 'patient.birthName'],
      ['patients.create', { patient: { ...patient, firstNames: 'Jean '.repeat(41) } }, 'patient.firstNames'],
      ['patients.create', { patient: { ...patient, birthDate: '31/12/1889' } }, 'patient.birthDate'],
      ['patients.create', { patient: { ...patient, birthDate: '01/01/3000', weight: null, height: null } }, 'patient.birthDate'],
      ['patients.create', { patient: { ...patient, birthDate: '31/12/2999', weight: null, height: null } }, 'patient.birthDate'],
      ['patients.create', { patient: { ...patient, birthPlaceCode: '2C004' } }, 'patient.birthPlaceCode'],
      ['patients.create', { patient: { ...patient, nir: '3 80 03 75 112 034 18' } }, 'patient.nir'],
      ['patients.create', { patient: { ...patient, postalCode: '６９００１' } }, 'patient.postalCode'],
      ['patients.create', { patient: { ...patient, email: 'helene@' } }, 'patient.email'],
      ['patients.create', { patient: { ...patient, weight: { value: 0.04, measuredOn: '02/09/2025' } } }, 'patient.weight.value'],
      ['patients.create', { patient: { ...patient, weight: { value: '500,05', measuredOn: '02/09/2025' } } }, 'patient.weight.value'],
      ['patients.create', { patient: { ...patient, height: { value: 260.1, measuredOn: '02/09/2025' } } }, 'patient.height.value'],
      ['patients.create', { patient: { ...patient, creatinineClearance: { value: 300.05, measuredOn: '02/09/2025' } } }, 'patient.creatinineClearance.value'],
      ['patients.create', { patient: { ...patient, weight: { value: 60, measuredOn: '30/02/2025' } } }, 'patient.weight.measuredOn'],
      ['patients.create', { patient: { ...patient, allergies: [{ substance: '\u0000Pénicilline' }] } }, 'patient.allergies.0.substance'],
      ['patients.create', { patient: { ...patient, conditions: [{ label: '\u200b' }] } }, 'patient.conditions.0.label'],
      ['patients.update', { id: 1, patient: { ...patient, birthName: '\u0000' } }, 'patient.birthName'],
      ['drugs.setSource', { baseUrl: `https://miroir.exemple.fr/${'a'.repeat(500)}/` }, 'baseUrl'],
      ['drugs.setSource', { baseUrl: 'https://miroir.exemple.fr/\u0000/' }, 'baseUrl'],
    ];
    for (const [name, input, field] of cases) {
      const { status, body } = await rpc(h, name, input);
      expect([status, body.error?.code], `${name} ${field}: ${shown(input)}`).toEqual([400, 'INVALID_INPUT']);
      expect(body.error?.fields?.[field] ?? `no message for ${field}: ${JSON.stringify(body.error?.fields)}`, `${name} ${shown(input)}`).toMatch(/^(Le |La |L’|Les |Un |Une |Cette |Seule |Saisissez )/);
    }
  });

  it('unknown names get a typed 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !callNames.includes(s as CallName)), async (name) => {
        const { status, body } = await rpc(h, encodeURIComponent(name), {});
        expect([400, 404]).toContain(status);
        expect(body.ok).toBe(false);
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  it('the host still answers and the database is sound afterwards', async () => {
    expect((await rpc(h, 'app.info', {})).status).toBe(200);
    expect(h.observer.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
