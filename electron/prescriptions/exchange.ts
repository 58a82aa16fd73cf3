/**
 * The exchange mode (as FreeDiams offered other software): another program hands Ordo a patient
 * and lines as JSON (shared/calls/prescriptions.ts exchangeDocumentSchema, README « Mode
 * échange »), and gets back the draft's id and its checks. Everything is checked before anything
 * is written: a wrong CIS, an unknown patient or a malformed line creates nothing.
 */
import { z } from 'zod';
import type { exchangeDocumentSchema, exchangeResultSchema } from '../../shared/calls/prescriptions';
import { isoDay } from '../../shared/domain/dates';
import { patientConfirmations, patientInputSchema } from '../../shared/domain/patient';
import { lineInputSchema, type Line } from '../../shared/domain/prescription';
import { OrdoError } from '../../shared/errors';
import type { Clock } from '../clock';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import type { DrugService } from '../drugs/api';
import { createPatientService, findSameIdentity, searchKeysOf } from '../patients/api';
import type { PrescriptionService } from './service';

type ExchangeDocument = z.output<typeof exchangeDocumentSchema>;
type ExchangeLine = ExchangeDocument['lines'][number];
type ExchangeResult = z.output<typeof exchangeResultSchema>;

/** A CIP13 names one pack: its drug's CIS, found through the search's code index. */
async function cisOfPack(drugs: DrugService, cip13: string, index: number): Promise<string> {
  const result = await drugs.search(cip13, { limit: 5 });
  for (const group of result.groups) for (const item of group.items) if (item.matchedCode === cip13) return item.cis;
  throw new OrdoError('INVALID_INPUT', `Ligne ${index + 1} : aucune présentation de code CIP13 ${cip13} dans la base.`, { [`lines.${index}.cip13`]: 'Code CIP13 inconnu.' });
}

function lineOf(l: ExchangeLine, cis: string): Line {
  const moments = l.moments ?? [];
  const times = l.timesPerDay ?? (moments.length > 0 ? moments.length : 1);
  return lineInputSchema.parse({
    kind: 'drug',
    key: crypto.randomUUID(),
    cis,
    cip13: l.cip13 ?? null,
    posology: {
      dose: l.dose,
      unit: l.unit,
      frequency: { kind: 'perDay', times },
      moments,
      asNeeded: l.asNeeded ?? false,
      maxPer24h: l.maxPer24h ?? null,
    },
    duration: l.durationDays === undefined ? null : { value: l.durationDays, unit: 'days' },
    packs: l.packs ?? null,
    renewals: l.renewals ?? 0,
    nonSubstitution: l.nonSubstitutable ?? null,
    ald: l.ald ?? false,
    instructions: l.instructions ?? '',
  });
}

export async function draftFromExchange(
  deps: { db: Db; clock: Clock; drugs: DrugService; prescriptions: PrescriptionService },
  doc: ExchangeDocument,
): Promise<ExchangeResult> {
  const { db, clock, drugs, prescriptions } = deps;
  const patients = createPatientService(db, clock);
  for (const [index, l] of doc.lines.entries()) {
    if (l.moments !== undefined && l.timesPerDay !== undefined && l.moments.length > 0 && l.moments.length !== l.timesPerDay) {
      throw new OrdoError('INVALID_INPUT', `Ligne ${index + 1} : ${l.timesPerDay} prises par jour mais ${l.moments.length} moments.`, { [`lines.${index}.moments`]: 'Autant de moments que de prises.' });
    }
  }
  const lines: Line[] = [];
  for (const [index, l] of doc.lines.entries()) lines.push(lineOf(l, l.cis ?? (await cisOfPack(drugs, l.cip13 ?? '', index))));
  const frozen = await prescriptions.freezeLines(lines);

  // An inline patient is checked whole before the transaction, so its refusal names its field.
  const inline = 'id' in doc.patient ? null : doc.patient;
  const today = isoDay(clock.now());
  const record =
    inline === null
      ? null
      : patientInputSchema.safeParse({
          birthName: inline.birthName,
          firstNames: inline.firstNames,
          sex: inline.sex,
          birthDate: inline.birthDate,
          weight: inline.weightKg === undefined ? null : { value: inline.weightKg, measuredOn: today },
          allergies: (inline.allergies ?? []).map((a) => ({ kind: 'allergy', substance: a.substance, reaction: '' })),
          conditions: (inline.ald ?? []).map((c) => ({ label: c.label, ald: true })),
        });
  if (record !== null && !record.success) {
    const first = record.error.issues[0];
    throw new OrdoError('INVALID_INPUT', `Patient : ${first?.message ?? 'données invalides.'}`);
  }

  let created = false;
  const id = writeTransaction(db, () => {
    let patientId: number;
    if (record === null) {
      patientId = (doc.patient as { id: number }).id;
      try {
        patients.get(patientId);
      } catch {
        throw new OrdoError('NOT_FOUND', `Aucun patient d’identifiant ${patientId} dans Ordo.`);
      }
    } else {
      const p = record.data;
      const same = findSameIdentity(db, searchKeysOf(p).identityKey, null);
      if (same !== null) {
        patientId = same.id;
      } else {
        // Another program sent this identity: the near duplicates it might be are its business.
        patientId = patients.create(p, [...patientConfirmations]).id;
        created = true;
      }
    }
    return prescriptions.insertDraft(patientId, frozen, null, 'prescription.draft.imported');
  });
  const draft = await prescriptions.view(id);
  return {
    id,
    patientId: draft.patientId,
    patientCreated: created,
    checks: draft.checks.map((c) => ({ kind: c.kind, level: c.level, blocking: c.blocking && c.override === null, message: c.message, lines: c.lines })),
  };
}
