/**
 * Writing prescriptions: drafts autosaved at every change, each line frozen from the referential
 * when its drug is chosen, today's checks computed at every read and save, favourites, renewal.
 *
 * A save is decided in two steps: what needs the referential (freezing a newly chosen drug, an
 * async read) is done first, outside any transaction; then one IMMEDIATE transaction checks that
 * the draft is still a draft at the version the window named and writes the lines whole. Every
 * refusal comes before the first write.
 */
import { randomBytes } from 'node:crypto';
import type { Draft, Favourite, PrescriptionSummary } from '../../shared/calls/prescriptions';
import { isoDay } from '../../shared/domain/dates';
import type { PatientRecord } from '../../shared/domain/patient-record';
import { renderLine } from '../../shared/domain/posology-render';
import type { CheckLine, CheckPatient, Line, OverrideInput } from '../../shared/domain/prescription';
import { prescriptionIdFrom } from '../../shared/domain/prescription-id';
import { OrdoError } from '../../shared/errors';
import { appendAudit } from '../audit/audit';
import type { Clock } from '../clock';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import type { DrugService } from '../drugs/api';
import type { SigningKey } from '../keys/signing-key';
import { createPatientService } from '../patients/api';
import { readProfile } from '../profile/api';
import { CONTENT_FORMAT, contentDigest, normalized, type SignedContent } from '../signing/content';
import { sealPayload } from '../signing/seal';
import { cancelPrescription } from './cancel';
import { runChecks, type InteractionRules, type LineToday } from './checks';
import { freezeDrug, type ReferentialStamp } from './freeze';
import {
  auditHeadOf,
  CNAM_DISABLED_REASON,
  PRESCRIPTION_NOT_FOUND,
  deleteDraft,
  deleteFavourite,
  findFavouriteByName,
  insertFavourite,
  insertOutbox,
  insertPrescription,
  listForPatient,
  readCancellation,
  readFavourites,
  readPrescription,
  readPrescriptionRow,
  readSignature,
  readSignatureByRequest,
  recordSignature,
  replaceLines,
  replaceOverrides,
  rxIdTaken,
  type StoredLine,
  type StoredPrescription,
  type StoredSignature,
} from './repository';

export interface PrescriptionServiceOptions {
  db: Db;
  clock: Clock;
  drugs: DrugService;
  /** The interaction rule set in use, or undefined when none can be opened. */
  rules: () => Promise<InteractionRules | undefined>;
  /** The prescriber's signing key (created at first use); throws KEY_UNAVAILABLE in French when it cannot be had. */
  signingKey?: () => SigningKey;
}

function signatureView(s: StoredSignature | null): Draft['signature'] {
  return s === null ? null : { rxId: s.rxId, signedAt: s.signedAt, keyId: s.keyId, contentDigest: s.contentDigest, qrPayload: s.qrPayload };
}

const NOT_A_DRAFT = 'Cette ordonnance est signée : elle ne peut plus être modifiée. Renouvelez-la pour en écrire une nouvelle.';
const STALE_VERSION = 'Cette ordonnance a été modifiée dans une autre fenêtre. Rechargez-la pour continuer.';

/** The record as the checks read it, on the prescription's day. */
export function checkPatientOf(p: PatientRecord, day: string): CheckPatient {
  return {
    birthName: p.birthName,
    usedName: p.usedName,
    firstNames: p.firstNames,
    sex: p.sex,
    birthDate: p.birthDate,
    weightKg: p.weight?.value ?? null,
    creatinineClearance: p.creatinineClearance?.value ?? null,
    pregnant: p.pregnancy !== null && p.pregnancy.startedOn <= day,
    pregnancyStartedOn: p.pregnancy?.startedOn ?? null,
    breastfeeding: p.breastfeeding !== null && p.breastfeeding.since <= day,
    allergies: p.allergies.map((a) => ({ kind: a.kind, substance: a.substance, reaction: a.reaction, code: a.code === null ? null : { kind: a.code.kind, name: a.code.name } })),
    conditions: p.conditions.map((c) => ({ label: c.label, ald: c.ald })),
    treatments: p.treatments.map((t) => ({ label: t.label, substanceNames: [...t.substanceNames] })),
  };
}

export type PrescriptionService = ReturnType<typeof createPrescriptionService>;

export function createPrescriptionService(options: PrescriptionServiceOptions) {
  const { db, clock, drugs } = options;
  const patients = createPatientService(db, clock);

  async function stamp(): Promise<ReferentialStamp> {
    const status = await drugs.status();
    return { releaseDate: status.releaseDate, importedAt: status.importedAt ?? '', demo: status.state !== 'real' };
  }

  /**
   * The lines as they will be stored: a drug line keeps its frozen copy while its key, drug and
   * pack stay those stored; any other is frozen now from the referential in use.
   */
  async function freezeLines(lines: readonly Line[], stored: readonly StoredLine[], refreeze = false): Promise<StoredLine[]> {
    const before = new Map(stored.map((s) => [s.line.key, s]));
    const keys = new Set<string>();
    let referential: ReferentialStamp | undefined;
    const out: StoredLine[] = [];
    for (const [index, line] of lines.entries()) {
      if (keys.has(line.key)) throw new OrdoError('INVALID_INPUT', `Ligne ${index + 1} : deux lignes portent le même identifiant.`, { [`lines.${index}.key`]: 'Identifiant de ligne en double.' });
      keys.add(line.key);
      if (line.kind === 'free') {
        out.push({ line, drug: null, rendered: renderLine(line, null) });
        continue;
      }
      const old = before.get(line.key);
      let drug = !refreeze && old?.drug !== undefined && old.drug !== null && old.drug.cis === line.cis && old.drug.cip13 === line.cip13 ? old.drug : null;
      if (drug === null) {
        let detail;
        try {
          detail = await drugs.get(line.cis);
        } catch (error) {
          if (error instanceof OrdoError && error.code === 'NOT_FOUND') {
            throw new OrdoError('INVALID_INPUT', `Ligne ${index + 1} : aucun médicament de code CIS ${line.cis} dans la base.`, { [`lines.${index}.cis`]: 'Code CIS inconnu.' });
          }
          throw error;
        }
        referential ??= await stamp();
        drug = freezeDrug(detail, line.cip13, referential, index + 1);
      }
      out.push({ line, drug, rendered: renderLine(line, drug) });
    }
    return out;
  }

  /** What today's referential says of each line's drug, for the checks (a renewal, an old draft). */
  async function linesToday(lines: readonly StoredLine[]): Promise<(LineToday | null)[]> {
    const cis = lines.flatMap((l) => (l.drug === null ? [] : [l.drug.cis]));
    const today = await drugs.presence(cis);
    let next = 0;
    return lines.map((l) => (l.drug === null ? null : today[next++]!));
  }

  async function view(p: StoredPrescription): Promise<Draft> {
    const day = isoDay(clock.now());
    const record = patients.get(p.patientId);
    const lines: CheckLine[] = p.lines.map((l) => ({ line: l.line, drug: l.drug }));
    const result = runChecks({
      profile: readProfile(db),
      patient: checkPatientOf(record, day),
      lines,
      today: await linesToday(p.lines),
      day,
      rules: await options.rules(),
      overrides: p.overrides,
    });
    return {
      id: p.id,
      patientId: p.patientId,
      state: p.state,
      version: p.version,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      renewalOf: p.renewalOf,
      lines: p.lines.map((l) => ({ line: l.line, drug: l.drug, rendered: l.rendered })),
      overrides: p.overrides,
      ...result,
      // A draft has neither (migration 0011's triggers): no read on the autosave's path.
      signature: p.state === 'draft' ? null : signatureView(readSignature(db, p.id)),
      cancellation: p.state === 'cancelled' ? readCancellation(db, p.id) : null,
    };
  }

  function stored(id: number): StoredPrescription {
    const p = readPrescription(db, id);
    if (p === null) throw new OrdoError('NOT_FOUND', PRESCRIPTION_NOT_FOUND);
    return p;
  }

  /** Creates a draft with these lines (already frozen) in one transaction, with its audit row. */
  function insertDraft(patientId: number, lines: readonly StoredLine[], renewalOf: number | null, action: string): number {
    const now = clock.now();
    return writeTransaction(db, () => {
      // The patient is read inside the transaction: a draft never points at nobody.
      patients.get(patientId);
      const id = insertPrescription(db, patientId, renewalOf, now.toISOString());
      if (lines.length > 0) replaceLines(db, id, lines, now.toISOString());
      appendAudit(db, { actor: 'prescriber', action, subject: `prescription:${id}`, details: { patient: patientId, lines: lines.length, ...(renewalOf === null ? {} : { renewalOf }) } }, now);
      return id;
    });
  }

  async function sign(input: { id: number; requestId: string }): Promise<Draft> {
    const again = readSignatureByRequest(db, input.requestId);
    if (again !== null) {
      if (again.prescriptionId !== input.id) throw new OrdoError('CONFLICT', 'Cette demande de signature concerne une autre ordonnance.');
      return view(stored(input.id));
    }
    const before = stored(input.id);
    if (before.state !== 'draft') throw new OrdoError('CONFLICT', 'Cette ordonnance est déjà signée.');
    if (before.lines.length === 0) throw new OrdoError('CONFLICT', 'L’ordonnance ne contient aucune ligne : rien à signer.');
    const checked = await view(before);
    if (!checked.readyToSign) {
      const standing = checked.checks.filter((c) => c.blocking && c.override === null).map((c) => c.message);
      throw new OrdoError('CONFLICT', `L’ordonnance ne peut pas être signée : ${standing.join(' ')}`);
    }
    if (options.signingKey === undefined) throw new OrdoError('KEY_UNAVAILABLE');
    const key = options.signingKey();
    const profile = readProfile(db);
    if (profile === null) throw new OrdoError('CONFLICT', 'Le profil du prescripteur est incomplet.');
    const record = patients.get(before.patientId);
    const now = clock.now();
    // Whole seconds: what the QR code keeps, so that the paper, the code and the record agree.
    const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    writeTransaction(db, () => {
      const row = readPrescriptionRow(db, input.id);
      if (row === null) throw new OrdoError('NOT_FOUND', PRESCRIPTION_NOT_FOUND);
      if (readSignatureByRequest(db, input.requestId) !== null) return;
      if (row.state !== 'draft') throw new OrdoError('CONFLICT', 'Cette ordonnance est déjà signée.');
      // The checks were run on this version: a save since then (another window) must be checked again.
      if (row.version !== before.version) throw new OrdoError('CONFLICT', 'L’ordonnance a changé pendant la vérification : vérifiez-la de nouveau avant de signer.');
      let rxId: string | null = null;
      while (rxId === null || rxIdTaken(db, rxId)) rxId = prescriptionIdFrom(randomBytes(32));
      const content = normalized<SignedContent>({
        format: CONTENT_FORMAT,
        id: rxId,
        issuedAt: issuedAt.toISOString(),
        prescriber: profile,
        patient: {
          birthName: record.birthName,
          usedName: record.usedName,
          firstNames: record.firstNames,
          sex: record.sex,
          birthDate: record.birthDate,
          weight: record.weight,
          dispensingObjection: record.dispensingObjection !== null,
          dmpObjection: record.dmpObjection !== null,
        },
        lines: before.lines.map((l) => ({ line: l.line, drug: l.drug, rendered: l.rendered })),
        overrides: before.overrides.map((o) => ({ checkId: o.checkId, reason: o.reason })),
        renewalOf: before.renewalOf,
      });
      const digest = contentDigest(content);
      const auditHead = auditHeadOf(db);
      const qrPayload = sealPayload({ id: rxId, issuedAt, prescriberRpps: profile.rpps, keyId: key.keyId, contentDigest: digest, auditHead: Buffer.from(auditHead, 'hex') }, key.privateKey);
      recordSignature(db, {
        prescriptionId: input.id,
        rxId,
        requestId: input.requestId,
        signedAt: issuedAt.toISOString(),
        keyId: key.keyId,
        content: JSON.stringify(content),
        contentDigest: digest.toString('hex'),
        auditHead,
        qrPayload,
      });
      appendAudit(db, { actor: 'prescriber', action: 'prescription.signed', subject: `prescription:${input.id}`, details: { rxId, keyId: key.keyId, contentDigest: digest.toString('hex'), auditHead } }, now);
      const at = now.toISOString();
      const dmp = record.dmpObjection === null ? ({ state: 'pending', reason: null } as const) : ({ state: 'skipped', reason: 'non envoyé — opposition du patient' } as const);
      insertOutbox(db, { prescriptionId: input.id, destination: 'dmp', action: 'submit', ...dmp, now: at });
      insertOutbox(db, { prescriptionId: input.id, destination: 'cnam', action: 'submit', state: 'disabled', reason: CNAM_DISABLED_REASON, now: at });
    });
    return view(stored(input.id));
  }

  return {
    checkPatientOf,
    sign,

    /** Cancels a signed prescription with its reason (cancel.ts); the same reason again answers the same. */
    async cancel(input: { id: number; reason: string }): Promise<Draft> {
      cancelPrescription(db, input, clock.now());
      return view(stored(input.id));
    },

    list(patientId: number): PrescriptionSummary[] {
      patients.get(patientId);
      return listForPatient(db, patientId);
    },

    async create(patientId: number): Promise<Draft> {
      return view(stored(insertDraft(patientId, [], null, 'prescription.draft.created')));
    },

    get: (id: number): Promise<Draft> => view(stored(id)),

    async save(input: { id: number; version: number; lines: readonly Line[]; overrides: readonly OverrideInput[] }): Promise<Draft> {
      const before = stored(input.id);
      if (before.state !== 'draft') throw new OrdoError('CONFLICT', NOT_A_DRAFT);
      if (before.version !== input.version) throw new OrdoError('CONFLICT', STALE_VERSION);
      const lines = await freezeLines(input.lines, before.lines);
      const overrides = input.overrides.map((o) => ({ checkId: o.checkId, reason: o.reason }));
      const now = clock.now();
      writeTransaction(db, () => {
        const row = readPrescriptionRow(db, input.id);
        if (row === null) throw new OrdoError('NOT_FOUND', PRESCRIPTION_NOT_FOUND);
        if (row.state !== 'draft') throw new OrdoError('CONFLICT', NOT_A_DRAFT);
        if (row.version !== input.version) throw new OrdoError('CONFLICT', STALE_VERSION);
        replaceLines(db, input.id, lines, now.toISOString());
        const changes = replaceOverrides(db, input.id, overrides, now.toISOString());
        // An override is a decision the GP answers for: each one is in the audit log with its reason.
        for (const checkId of [...changes.added, ...changes.changed]) {
          const reason = overrides.find((o) => o.checkId === checkId)?.reason ?? '';
          appendAudit(db, { actor: 'prescriber', action: 'prescription.check.overridden', subject: `prescription:${input.id}`, details: { check: checkId, reason } }, now);
        }
        for (const checkId of changes.removed) {
          appendAudit(db, { actor: 'prescriber', action: 'prescription.override.withdrawn', subject: `prescription:${input.id}`, details: { check: checkId } }, now);
        }
      });
      return view(stored(input.id));
    },

    discard(id: number): { id: number } {
      const now = clock.now();
      writeTransaction(db, () => {
        const row = readPrescriptionRow(db, id);
        if (row === null) throw new OrdoError('NOT_FOUND', PRESCRIPTION_NOT_FOUND);
        if (row.state !== 'draft') throw new OrdoError('CONFLICT', 'Une ordonnance signée ne peut pas être supprimée ; elle peut être annulée.');
        deleteDraft(db, id);
        appendAudit(db, { actor: 'prescriber', action: 'prescription.draft.discarded', subject: `prescription:${id}`, details: { patient: row.patientId } }, now);
      });
      return { id };
    },

    /** A new draft with the lines of `id`, new keys, every drug frozen again from today's referential. */
    async renew(id: number): Promise<Draft> {
      const from = stored(id);
      const copies: StoredLine[] = [];
      for (const old of from.lines) {
        const line = { ...old.line, key: crypto.randomUUID() } as Line;
        if (line.kind === 'drug') {
          try {
            const [frozen] = await freezeLines([line], [], true);
            copies.push(frozen!);
            continue;
          } catch (error) {
            if (!(error instanceof OrdoError) || error.code !== 'INVALID_INPUT') throw error;
            // No longer in the referential: the old copy is kept, and the checks say the drug is gone.
            copies.push({ line, drug: old.drug, rendered: old.rendered });
            continue;
          }
        }
        copies.push({ line, drug: null, rendered: old.rendered });
      }
      return view(stored(insertDraft(from.patientId, copies, from.id, 'prescription.renewed')));
    },

    /** Freezes lines now (the exchange mode builds them before its single transaction). */
    freezeLines: (lines: readonly Line[]) => freezeLines(lines, []),
    insertDraft,
    view: (id: number) => view(stored(id)),

    favourites: (): Favourite[] => readFavourites(db),

    /** Saves lines under a name; their drugs are read now for the labels (and refused when unknown). */
    async saveFavourite(input: { name: string; kind: 'line' | 'prescription'; lines: readonly Line[] }): Promise<Favourite> {
      if (input.kind === 'line' && input.lines.length !== 1) throw new OrdoError('INVALID_INPUT', 'Un favori « ligne » contient une seule ligne.');
      const labels = (await freezeLines(input.lines, [])).map((l) => l.drug?.dciLabel ?? (l.line.kind === 'free' ? l.line.text : ''));
      const createdAt = clock.now().toISOString();
      const id = writeTransaction(db, () => {
        if (findFavouriteByName(db, input.name) !== null) {
          throw new OrdoError('CONFLICT', `Un favori s’appelle déjà « ${input.name} ».`, { name: 'Ce nom est déjà pris.' });
        }
        return insertFavourite(db, { name: input.name, kind: input.kind, lines: [...input.lines], labels, createdAt });
      });
      return { id, name: input.name, kind: input.kind, lines: [...input.lines], labels, createdAt };
    },

    deleteFavourite(id: number): { id: number } {
      const deleted = writeTransaction(db, () => deleteFavourite(db, id));
      if (!deleted) throw new OrdoError('NOT_FOUND', 'Ce favori n’existe pas (ou plus).');
      return { id };
    },
  };
}
