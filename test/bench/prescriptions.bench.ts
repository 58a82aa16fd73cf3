/**
 * The prescription checks on a 10-line draft for a patient with allergies, a clearance and a
 * weight, against the real 2019 BDPM and the full 2016 ANSM thesaurus (skipped, saying why, when
 * ../shared/data is absent): `prescriptions.get` (the draft read and every check computed) and
 * `prescriptions.save` (the lines written whole, then read and checked), through `dispatch` as
 * every adapter calls them; and the checks alone (`runChecks` over the same draft, patient and rule
 * sets, in process), the number the target is about. Target: checks ≤ 2 ms.
 */
import { join } from 'node:path';
import { createApp } from '../../electron/app';
import { dispatch } from '../../electron/dispatch';
import { drugServiceOf } from '../../electron/drugs/calls';
import { ruleSetProvider } from '../../electron/drugs/api';
import { runChecks } from '../../electron/prescriptions/checks';
import { interactionRulesOf } from '../../electron/prescriptions/interaction-rules';
import { checkPatientOf } from '../../electron/prescriptions/service';
import { readProfile } from '../../electron/profile/api';
import { isoDay } from '../../shared/domain/dates';
import type { PatientRecord } from '../../shared/domain/patient-record';
import { patientCalls } from '../../shared/calls/patients';
import type { Draft } from '../../shared/calls/prescriptions';
import { validProfile } from '../support/fixtures';
import { hasSharedData, sharedDataDir } from '../support/paths';
import { tempDir } from '../support/tmp';
import { sample, sampleSync, type BenchRow } from './types';

/** Ten drugs a GP writes together, by their 2019 CIS (interactions among them on purpose: AVK + AINS, IEC + diuretic…). */
const TEN = ['warfarine', 'ibuprofène', 'amoxicilline', 'paracétamol', 'metformine', 'ramipril', 'furosémide', 'atorvastatine', 'oméprazole', 'tramadol'];

export async function rows(): Promise<BenchRow[]> {
  if (!hasSharedData) {
    process.stderr.write('bench prescriptions: skipped, ../shared/data (BDPM 2019, ANSM 2016) is absent\n');
    return [];
  }
  const tmp = tempDir('ordo-bench-prescriptions-');
  const dataDir = join(tmp.dir, 'data');
  const app = createApp({ dataDir, mode: 'host', jobs: { threads: false } });
  try {
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const result = await dispatch(app.services, name, input);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      return result.value as T;
    };
    const job = await app.tools.importBdpmFolder(join(sharedDataDir, 'bdpm-2019'), '2019-11-01');
    if (job.state !== 'done') throw new Error('BDPM 2019 import failed');
    await app.tools.importInteractions(join(sharedDataDir, 'ansm-interactions-2016'));
    await call('profile.save', validProfile);
    const example = patientCalls['patients.create'].example.patient;
    const { id: patientId } = await call<{ id: number }>('patients.create', {
      patient: {
        ...example,
        weight: { value: 72, measuredOn: '2026-01-10' },
        creatinineClearance: { value: 42, measuredOn: '2026-01-10' },
        allergies: [
          { kind: 'allergy', substance: 'Pénicillines', reaction: 'Urticaire' },
          { kind: 'intolerance', substance: 'codéine', reaction: 'Nausées' },
        ],
      },
      confirmed: ['nearDuplicate'],
    });
    const lines: Record<string, unknown>[] = [];
    for (const [i, dci] of TEN.entries()) {
      const found = await call<{ groups: { items: { cis: string; marketed: boolean }[] }[] }>('drugs.search', { query: dci, limit: 5 });
      const cis = found.groups.flatMap((g) => g.items).find((item) => item.marketed)?.cis;
      if (cis === undefined) throw new Error(`no marketed ${dci} in the 2019 BDPM`);
      lines.push({
        kind: 'drug',
        key: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        cis,
        posology: { dose: 1, unit: 'comprimé', frequency: { kind: 'perDay', times: 2 }, moments: ['matin', 'soir'] },
        duration: { value: 30, unit: 'days' },
      });
    }
    let draft = await call<Draft>('prescriptions.create', { patientId });
    draft = await call<Draft>('prescriptions.save', { id: draft.id, version: draft.version, lines });
    const kinds = new Map<string, number>();
    for (const c of draft.checks) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    process.stderr.write(`bench prescriptions: ${draft.checks.length} checks on 10 lines (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), rule sets: ${draft.ruleSets.map((r) => `${r.name} ${r.version}`).join('; ')}\n`);
    const id = draft.id;
    // The checks alone, as `prescriptions.get` runs them (service.ts `view`), on the same inputs.
    const day = isoDay(new Date());
    const rules = await interactionRulesOf(ruleSetProvider({ dataDir, sqlite: {}, now: () => new Date(), installed: () => drugServiceOf(app.context).rules() }))();
    const input = {
      profile: readProfile(app.context.db),
      patient: checkPatientOf(await call<PatientRecord>('patients.get', { id: patientId }), day),
      lines: draft.lines.map((l) => ({ line: l.line, drug: l.drug })),
      today: draft.lines.map((l) => (l.drug === null ? null : { present: true, marketed: true })),
      day,
      rules,
      overrides: [],
    };
    const again = runChecks(input).checks.map((c) => c.id);
    if (JSON.stringify(again) !== JSON.stringify(draft.checks.map((c) => c.id))) throw new Error(`runChecks alone found other checks than prescriptions.get: ${again.join(', ')}`);
    // Warmed up long enough for the optimising compiler (a GP's main process has checked many drafts).
    const pure = sampleSync(2000, () => runChecks(input), 5000);
    const get = await sample(300, () => call('prescriptions.get', { id }));
    let version = draft.version;
    const save = await sample(100, async () => {
      version = (await call<Draft>('prescriptions.save', { id, version, lines })).version;
    });
    return [
      { name: 'prescription checks: all checks of a 10-line draft (runChecks in process, BDPM 2019 + ANSM 2016)', unit: 'ms', samples: pure },
      { name: 'prescription checks: get a 10-line draft (read + all checks, BDPM 2019 + ANSM 2016)', unit: 'ms', samples: get },
      { name: 'prescription autosave: save 10 lines (write + read + all checks)', unit: 'ms', samples: save, baseline: 'prescription checks: get a 10-line draft (read + all checks, BDPM 2019 + ANSM 2016)' },
    ];
  } finally {
    app.close();
    tmp.remove();
  }
}
