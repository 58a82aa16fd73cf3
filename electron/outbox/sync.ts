/**
 * One sync of the outbox to the DMP (the job `outbox.sync` runs it, sync-job.ts). It re-checks
 * the rows first (repository.ts `revalidate`), then makes one pass over the rows due, in order,
 * by batches: builds each missing document (the PDF copy and the CDA, kept so that a retry sends
 * the same bytes), marks the batch `sending` (one transaction), sends it a few requests at a time,
 * and records every outcome (one transaction, with its audit entry).
 *
 * - stored: `sent`. The DMP is idempotent by the document's uniqueId and hash, so a document
 *   sent again after a lost reply is stored once.
 * - refused for good (a registry error, a 4xx): `dead`, with the DMP's reason, shown.
 * - refused for now (no network, a timeout, a 5xx, 408, 429): `failed`, with the reason; when the
 *   pass ends with such rows the job fails with a transient error and the runner tries again
 *   later (capped exponential backoff, full jitter). A batch where nothing got through ends the
 *   pass at once: the DMP is unreachable, the rest would only wait for their timeouts.
 *
 * Without an endpoint the documents are still built (offline first), and wait.
 */
import type { OutboxSyncResult } from '../../shared/calls/outbox';
import { isProvisionalNir } from '../../shared/domain/nir';
import { appendAudit } from '../audit/audit';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { buildPrescriptionCda, deprecateDocument, submitDocument, type DmpTransport, type SendOutcome, type VihfAssertionProvider } from '../dmp/api';
import { JobStopped } from '../jobs/kind';
import { pdfFonts } from '../pdf/fonts';
import { renderPrescriptionPdf } from '../pdf/prescription-pdf';
import { APP_VERSION } from '../version';
import {
  countDue,
  dueRows,
  markSending,
  otherSyncRunning,
  readDocument,
  readSource,
  recordOutcomes,
  revalidate,
  storeDocuments,
  type DocumentSource,
  type DueRow,
  type RowOutcome,
  type StoredDocument,
} from './repository';

/** INS-NIR (DOMAIN §3): the patient's NIR, qualified by a verified identity. */
export const INS_NIR_OID = '1.2.250.1.213.1.4.8';
export const NO_ENDPOINT_NOTE = 'Aucun DMP n’est configuré (Réglages → DMP) : les documents sont prêts et attendent.';
const SOFTWARE = { name: 'Ordo', version: APP_VERSION };
const BATCH = 32;
const IN_FLIGHT = 4;

export interface SyncDeps {
  db: Db;
  /** The job running this sync (null: the command line's drain). */
  jobId: number | null;
  now(): Date;
  signal: AbortSignal;
  transport: DmpTransport;
  /** Null: no DMP configured; documents are built, nothing is sent. */
  endpoint: { url: string; timeoutMs: number } | null;
  assertion: VihfAssertionProvider;
  progress(p: { phase: 'sending'; done: number; total: number; percent: number }): void;
}

/** Why a document cannot be built for the DMP from this record (French), or null. */
export function insProblem(p: DocumentSource['patient']): string | null {
  const then = ' Complétez la fiche du patient, puis « Réessayer ».';
  if (p.nir === null) return `INS du patient absente : le DMP n’accepte un document qu’avec le NIR du patient.${then}`;
  if (isProvisionalNir(p.nir)) return `Le NIR du patient est un numéro provisoire : ce n’est pas une INS.${then}`;
  if (p.identityStatus !== 'verified') return `Identité du patient non vérifiée : l’INS ne s’utilise qu’avec une identité vérifiée sur une pièce d’identité.${then}`;
  if (p.birthPlaceCode === '') return `Lieu de naissance du patient absent (code INSEE) : c’est un trait de l’INS, obligatoire au DMP.${then}`;
  return null;
}

export const patientIdOf = (ins: { nir: string; oid: string }) => `${ins.nir}^^^&${ins.oid}&ISO`;

function insOf(patientId: string): { nir: string; oid: string } {
  const [nir = '', rest = ''] = patientId.split('^^^&');
  return { nir, oid: rest.replace(/&ISO$/, '') };
}

/** Builds the document of a signed prescription: its PDF copy, then the CDA around it. */
async function buildDocument(source: DocumentSource): Promise<StoredDocument> {
  const rx = { content: source.content, rxId: source.rxId, signedAt: source.signedAt, keyId: source.keyId, qrPayload: source.qrPayload };
  const pdf = await renderPrescriptionPdf(rx, pdfFonts());
  const ins = { nir: source.patient.nir!, oid: INS_NIR_OID };
  const doc = buildPrescriptionCda({ rx, patient: { ins, birthPlaceCode: source.patient.birthPlaceCode }, pdf, facilityType: 'SA07', software: SOFTWARE });
  return { prescriptionId: source.prescriptionId, uniqueId: doc.uniqueId, patientId: patientIdOf(ins), cda: doc.xml, sha1: doc.sha1, size: doc.size };
}

async function inFlight<T, R>(items: readonly T[], width: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await each(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return results;
}

interface Planned {
  row: DueRow;
  source: DocumentSource;
  doc: StoredDocument;
}

/** One pass; `waiting`: why rows were refused for now (French), null when none was. */
export async function syncOutbox(deps: SyncDeps): Promise<OutboxSyncResult & { waiting: string | null }> {
  const { db } = deps;
  const skipped = revalidate(db, deps.now(), { requeueSending: !otherSyncRunning(db, deps.jobId) });
  const total = countDue(db);
  const result = { sent: 0, refused: 0, skipped, remaining: 0 };
  let done = 0;
  let lastTransient: string | null = null;
  let failed = 0;
  const report = () => deps.progress({ phase: 'sending', done, total, percent: total === 0 ? 100 : Math.min(100, Math.round((done / total) * 1000) / 10) });
  report();

  let cursor = 0;
  for (;;) {
    if (deps.signal.aborted) throw new JobStopped('Synchronisation interrompue : les documents non envoyés attendent la prochaine.');
    const batch = dueRows(db, cursor, BATCH);
    if (batch.length === 0) break;
    cursor = batch[batch.length - 1]!.id;

    // Build what is missing; a record that cannot make an INS is a refusal of its own.
    const outcomes: RowOutcome[] = [];
    const planned: Planned[] = [];
    const built: StoredDocument[] = [];
    for (const row of batch) {
      const source = readSource(db, row.prescriptionId);
      if (source === null) {
        outcomes.push({ id: row.id, state: 'dead', reason: 'La signature de cette ordonnance est introuvable : ouvrez Réglages → Diagnostic.' });
        continue;
      }
      let doc = readDocument(db, row.prescriptionId);
      if (doc === null && row.action === 'submit') {
        const problem = insProblem(source.patient);
        if (problem !== null) {
          outcomes.push({ id: row.id, state: 'dead', reason: problem });
          continue;
        }
        doc = await buildDocument(source);
        built.push(doc);
      }
      if (doc === null) {
        outcomes.push({ id: row.id, state: 'dead', reason: 'Le document de cette ordonnance n’a jamais été versé : rien à retirer du DMP.' });
        continue;
      }
      planned.push({ row, source, doc });
    }
    if (built.length > 0) storeDocuments(db, built, deps.now());

    if (deps.endpoint === null) {
      // Nothing is sent: only what could not be built is recorded.
      if (outcomes.length > 0) {
        markSending(db, outcomes.map((o) => o.id), deps.now());
        settle(db, outcomes, [], deps.now());
      }
      result.refused += outcomes.length;
      done += batch.length;
      report();
      continue;
    }
    const endpoint = deps.endpoint;
    const taken = markSending(db, batch.map((r) => r.id), deps.now());
    // Rows another sync took meanwhile are its own.
    for (let i = planned.length - 1; i >= 0; i--) if (!taken.has(planned[i]!.row.id)) planned.splice(i, 1);
    for (let i = outcomes.length - 1; i >= 0; i--) if (!taken.has(outcomes[i]!.id)) outcomes.splice(i, 1);
    const sent = await inFlight(planned, IN_FLIGHT, async (p): Promise<SendOutcome> => {
      if (deps.signal.aborted) return { type: 'transient', reason: 'interrompu' };
      const c = p.source.content.prescriber;
      const ins = insOf(p.doc.patientId);
      const assertion = await deps.assertion({
        prescriber: { rpps: c.rpps, lastName: c.lastName, firstName: c.firstName, specialty: c.specialty },
        patientIns: ins,
        software: { ...SOFTWARE, approval: null },
        now: deps.now(),
      });
      try {
        if (p.row.action === 'cancel') return await deprecateDocument(deps.transport, endpoint, { uniqueId: p.doc.uniqueId, patientIns: ins, rxId: p.source.rxId }, assertion);
        const at = new Date(p.source.signedAt);
        return await submitDocument(
          deps.transport,
          endpoint,
          {
            uniqueId: p.doc.uniqueId,
            patientIns: ins,
            hashSha1: p.doc.sha1,
            size: p.doc.size,
            creationTime: at,
            serviceStartTime: at,
            title: 'Prescription de médicaments',
            author: { rpps: c.rpps, lastName: c.lastName, firstName: c.firstName, specialty: c.specialty },
            facilityType: 'SA07',
            rxId: p.source.rxId,
          },
          p.doc.cda,
          assertion,
        );
      } catch (error) {
        return { type: 'transient', reason: error instanceof Error ? error.message : String(error) };
      }
    });
    const audit: { rxId: string; action: string; uniqueId: string }[] = [];
    const refusals: { rxId: string; reason: string }[] = [];
    let through = 0;
    for (const [i, p] of planned.entries()) {
      const o = sent[i]!;
      if (o.type === 'stored') {
        outcomes.push({ id: p.row.id, state: 'sent' });
        audit.push({ rxId: p.source.rxId, action: p.row.action, uniqueId: p.doc.uniqueId });
        result.sent++;
        through++;
      } else if (o.type === 'refused') {
        outcomes.push({ id: p.row.id, state: 'dead', reason: o.reason });
        refusals.push({ rxId: p.source.rxId, reason: o.reason });
        result.refused++;
        through++;
      } else if (deps.signal.aborted) {
        outcomes.push({ id: p.row.id, state: 'pending' });
      } else {
        outcomes.push({ id: p.row.id, state: 'failed', reason: o.reason });
        lastTransient = o.reason;
        failed++;
      }
    }
    result.refused += outcomes.filter((o) => o.state === 'dead').length - refusals.length;
    settle(db, outcomes, audit, deps.now(), refusals);
    done += batch.length;
    report();
    // Nothing got through: the DMP cannot be reached now; the rest waits for the retry.
    if (through === 0 && planned.length > 0 && lastTransient !== null) break;
  }
  result.remaining = countDue(db);
  if (deps.signal.aborted) throw new JobStopped('Synchronisation interrompue : les documents non envoyés attendent la prochaine.');
  const waiting = failed > 0 && lastTransient !== null ? `Envoi au DMP impossible pour l’instant : ${lastTransient}` : null;
  return { ...result, note: deps.endpoint === null ? NO_ENDPOINT_NOTE : null, waiting };
}

/** The outcomes of a batch and, when something reached the DMP or was refused, its audit entry. */
function settle(db: Db, outcomes: readonly RowOutcome[], sent: readonly { rxId: string; action: string; uniqueId: string }[], now: Date, refused: readonly { rxId: string; reason: string }[] = []): void {
  writeTransaction(db, () => {
    recordOutcomes(db, outcomes, now);
    if (sent.length > 0 || refused.length > 0) appendAudit(db, { actor: 'system', action: 'dmp.synced', subject: 'outbox', details: { sent, refused } }, now);
  });
}
