/**
 * One DMP exchange and what it means for the outbox: the document is stored (or withdrawn), the
 * DMP refused it for good (retrying would give the same answer), or the outcome is unknown or a
 * passing failure (retry later; the DMP is idempotent on the document's uniqueId and hash, so a
 * retry after a lost reply stores nothing twice).
 *
 * - network errors, timeouts, HTTP 5xx, 408, 429, a SOAP Receiver fault, a 2xx reply that cannot
 *   be read, a registry « busy / out of resources / internal error » → transient;
 * - RegistryResponse Success → stored;
 * - any other registry error (XDSDuplicateUniqueIdInRegistry included: another document already
 *   holds that uniqueId), HTTP 4xx, a SOAP Sender fault → refused, with the code.
 *
 * Reasons are in French: the GP reads them in the outbox.
 */
import { randomUUID } from 'node:crypto';
import { DmpEndpointError, DmpNetworkError, type DmpTransport } from './transport';
import type { VihfAssertion } from './vihf';
import { buildDeprecate, buildProvideAndRegister, parseRegistryResponse, parseSoapFault, type DocumentEntryMeta, type RegistryResponse, type XdsMessage } from './xds';

export type SendOutcome = { type: 'stored' } | { type: 'refused'; code: string; reason: string } | { type: 'transient'; reason: string };

export interface DmpEndpoint {
  url: string;
  timeoutMs: number;
}

/** Registry errors that say « later », not « never ». */
const TRANSIENT_CODES = new Set(['XDSRegistryBusy', 'XDSRepositoryBusy', 'XDSRegistryOutOfResources', 'XDSRepositoryOutOfResources', 'XDSRegistryError', 'XDSRepositoryError']);

/** What the GP reads for the usual refusals. */
const EXPLAINED: Record<string, string> = {
  XDSDuplicateUniqueIdInRegistry: 'un autre document porte déjà cet identifiant dans le DMP',
  XDSNonIdenticalHash: 'un autre document porte déjà cet identifiant dans le DMP',
  XDSPatientIdDoesNotMatch: 'l’identifiant du patient (INS) ne correspond pas',
  XDSUnknownPatientId: 'le DMP ne connaît pas ce patient (INS)',
  XDSRepositoryMetadataError: 'les métadonnées du document sont incorrectes',
  XDSRegistryMetadataError: 'les métadonnées du document sont incorrectes',
  XDSMissingDocument: 'le document manquait dans l’envoi',
  XDSMissingDocumentMetadata: 'les métadonnées du document manquaient dans l’envoi',
  UnresolvedReferenceException: 'le DMP ne connaît pas ce document',
  XDSMetadataUpdateError: 'la mise à jour du document a été refusée',
  XDSMetadataUpdateOperationError: 'la mise à jour du document a été refusée',
  XDSPatientIDReconciliationError: 'le dossier du patient a été fusionné ou modifié',
};

/** Control, bidi and line-separator characters: Unicode categories Cc, Cf, Zl, Zp. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;

/** A text from the other side, safe to show: no control character, bounded. */
function clean(s: string, max = 300): string {
  const t = s.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function refusal(response: RegistryResponse): SendOutcome {
  const errors = response.errors.filter((e) => e.severity !== 'Warning');
  const all = errors.length > 0 ? errors : response.errors;
  if (all.length > 0 && all.every((e) => TRANSIENT_CODES.has(e.code))) {
    return { type: 'transient', reason: `Le DMP est momentanément indisponible (${all.map((e) => clean(e.code, 80)).join(', ')}).` };
  }
  const first = all[0];
  if (!first) return { type: 'refused', code: 'XDSUnknownError', reason: 'Le DMP a refusé le document sans donner de motif (XDSUnknownError).' };
  const code = clean(first.code, 80) || 'XDSUnknownError';
  const why = EXPLAINED[code];
  const context = clean(first.context);
  const detail = [why, context].filter((x) => x !== undefined && x !== '').join(' — ');
  return { type: 'refused', code, reason: `Le DMP a refusé le document (${code})${detail === '' ? '' : ` : ${detail}`}.` };
}

async function exchange(transport: DmpTransport, endpoint: DmpEndpoint, message: XdsMessage): Promise<SendOutcome> {
  let reply;
  try {
    reply = await transport({ url: endpoint.url, headers: { 'content-type': message.contentType, accept: 'multipart/related, application/soap+xml' }, body: message.body, timeoutMs: endpoint.timeoutMs });
  } catch (error) {
    if (error instanceof DmpNetworkError || error instanceof DmpEndpointError) return { type: 'transient', reason: error.message };
    return { type: 'transient', reason: `Échec de l’envoi au DMP : ${error instanceof Error ? clean(error.message) : 'erreur inconnue'}.` };
  }
  const contentType = reply.headers['content-type'] ?? '';
  const fault = reply.status >= 300 || /<(?:\w+:)?Fault[\s>]/.test(reply.body.subarray(0, 4096).toString('utf8')) ? parseSoapFault(contentType, reply.body) : null;
  if (fault) {
    const code = clean(fault.subcode ?? fault.code, 80);
    const reason = clean(fault.reason) || 'sans motif';
    if (fault.code === 'Sender') return { type: 'refused', code, reason: `Le DMP a rejeté la requête (faute SOAP ${code}) : ${reason}.` };
    return { type: 'transient', reason: `Le DMP a signalé une erreur de son côté (faute SOAP ${code}) : ${reason}.` };
  }
  if (reply.status >= 500 || reply.status === 408 || reply.status === 429) return { type: 'transient', reason: `Le DMP est momentanément indisponible (HTTP ${reply.status}).` };
  if (reply.status >= 400) return { type: 'refused', code: `HTTP ${reply.status}`, reason: `Le DMP a rejeté la requête (HTTP ${reply.status}).` };
  if (reply.status < 200 || reply.status >= 300) return { type: 'transient', reason: `Réponse inattendue du DMP (HTTP ${reply.status}).` };
  let response: RegistryResponse;
  try {
    response = parseRegistryResponse(contentType, reply.body);
  } catch {
    return { type: 'transient', reason: 'La réponse du DMP est illisible : l’envoi sera retenté.' };
  }
  return response.status === 'success' ? { type: 'stored' } : refusal(response);
}

const messageId = (): string => `urn:uuid:${randomUUID()}`;

/** ITI-41: stores the document in the patient's DMP. */
export async function submitDocument(transport: DmpTransport, endpoint: DmpEndpoint, meta: DocumentEntryMeta, cda: Buffer, assertion: VihfAssertion): Promise<SendOutcome> {
  return exchange(transport, endpoint, buildProvideAndRegister(meta, cda, assertion, messageId(), endpoint.url));
}

/** ITI-57: marks the document Deprecated (the prescription was cancelled). */
export async function deprecateDocument(
  transport: DmpTransport,
  endpoint: DmpEndpoint,
  meta: { uniqueId: string; patientIns: { nir: string; oid: string }; rxId: string },
  assertion: VihfAssertion,
): Promise<SendOutcome> {
  return exchange(transport, endpoint, buildDeprecate(meta, assertion, messageId(), endpoint.url));
}
