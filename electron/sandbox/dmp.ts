/**
 * The sandbox DMP: a reference receiver of the XDS.b exchanges Ordo sends (ITI-41 Provide and
 * Register Document Set-b, ITI-57 Update Document Set), on 127.0.0.1 only, with fault injection
 * for the tests and for a practice's demonstration.
 *
 * - POST /dmp: parses the SOAP 1.2 / MTOM request, checks the metadata (the codes of DOMAIN.md §5,
 *   hash and size against the bytes received, patient id consistent with the submission set and
 *   the VIHF) and stores the document, or answers a RegistryResponse Failure with the XDS code.
 *   Same uniqueId and same hash again → Success, stored once; same uniqueId, other hash →
 *   XDSDuplicateUniqueIdInRegistry. ITI-57 → status Deprecated (an unknown entry →
 *   UnresolvedReferenceException; an already deprecated one → Success, a retry is harmless).
 * - GET /documents: JSON [{uniqueId, patientId, hash, size, status, receivedAt}];
 *   GET /documents/<uniqueId>: the stored CDA (text/xml), 404 otherwise.
 * - POST /control with JSON Partial<SandboxFaults>: changes the faults; GET /health.
 *
 * Faults, drawn per POST /dmp: with probability `failRate`, one of `faults` — 'reset' destroys the
 * socket before reading, 'timeout' holds the request `timeoutHoldMs` then destroys it, 'http500'
 * answers a plain 500, 'soapFault' a 500 with a SOAP 1.2 Receiver fault. `dropAfterCommit`: the
 * request is processed and committed, then the socket destroyed without a reply. `latencyMs`
 * delays every answer.
 *
 * The store is its own SQLite file (`${dataDir}/sandbox-dmp.db`), nothing of the practice's.
 * The assertion is not verified cryptographically: the sandbox takes unsigned VIHF (vihf.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  ACTION,
  entryUuidOf,
  mtom,
  parseSubmission,
  registryResponseXml,
  soapFaultXml,
  XDS_CODES,
  XdsParseError,
  type ReceivedSubmission,
  type RegistryResponse,
} from '../dmp/api';

export type SandboxFault = 'http500' | 'soapFault' | 'timeout' | 'reset';

export interface SandboxFaults {
  /** Probability, per request, of one of `faults` (drawn uniformly). */
  failRate: number;
  /** Delay before every answer of POST /dmp. */
  latencyMs: number;
  /** Probability, per request, that the request is committed and then the socket destroyed without a reply. */
  dropAfterCommit: number;
  faults: SandboxFault[];
}

export interface SandboxOptions extends Partial<SandboxFaults> {
  /** 0 (the default) for any free port. */
  port?: number;
  dataDir: string;
  random?: () => number;
  /** How long a 'timeout' fault holds the request before destroying it; default 30 s. */
  timeoutHoldMs?: number;
}

export interface SandboxDmp {
  /** The SOAP endpoint: http://127.0.0.1:PORT/dmp */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  setFaults(f: Partial<SandboxFaults>): void;
  close(): Promise<void>;
}

const ALL_FAULTS: readonly SandboxFault[] = ['http500', 'soapFault', 'timeout', 'reset'];
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const STATUS = { approved: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved', deprecated: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated' } as const;

/** The faults checked: a wrong value is refused, not silently clamped. */
export function checkFaults(f: Partial<SandboxFaults>): Partial<SandboxFaults> {
  const out: Partial<SandboxFaults> = {};
  const rate = (name: 'failRate' | 'dropAfterCommit') => {
    const v = f[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new RangeError(`${name} doit être un nombre entre 0 et 1`);
    out[name] = v;
  };
  rate('failRate');
  rate('dropAfterCommit');
  if (f.latencyMs !== undefined) {
    if (typeof f.latencyMs !== 'number' || !Number.isFinite(f.latencyMs) || f.latencyMs < 0 || f.latencyMs > 600_000) throw new RangeError('latencyMs doit être un nombre de millisecondes entre 0 et 600000');
    out.latencyMs = f.latencyMs;
  }
  if (f.faults !== undefined) {
    if (!Array.isArray(f.faults) || !f.faults.every((x) => ALL_FAULTS.includes(x))) throw new RangeError(`faults doit être une liste parmi ${ALL_FAULTS.join(', ')}`);
    out.faults = [...f.faults];
  }
  return out;
}

interface Row {
  uniqueId: string;
  entryUuid: string;
  patientId: string;
  hash: string;
  size: number;
  status: 'Approved' | 'Deprecated';
  receivedAt: string;
}

function openStore(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'sandbox-dmp.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS documents (
    unique_id TEXT PRIMARY KEY,
    entry_uuid TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('Approved', 'Deprecated')),
    received_at TEXT NOT NULL,
    deprecated_at TEXT,
    metadata TEXT NOT NULL,
    document BLOB NOT NULL
  ) STRICT`);
  const columns = 'unique_id AS uniqueId, entry_uuid AS entryUuid, patient_id AS patientId, hash, size, status, received_at AS receivedAt';
  return {
    db,
    byUniqueId: db.prepare<[string], Row>(`SELECT ${columns} FROM documents WHERE unique_id = ?`),
    byEntryUuid: db.prepare<[string], Row>(`SELECT ${columns} FROM documents WHERE entry_uuid = ?`),
    all: db.prepare<[], Row>(`SELECT ${columns} FROM documents ORDER BY received_at, rowid`),
    document: db.prepare<[string], Buffer>('SELECT document FROM documents WHERE unique_id = ?').pluck(),
    insert: db.prepare<[string, string, string, string, number, string, string, Buffer]>(
      "INSERT INTO documents (unique_id, entry_uuid, patient_id, hash, size, status, received_at, metadata, document) VALUES (?, ?, ?, ?, ?, 'Approved', ?, ?, ?)",
    ),
    deprecate: db.prepare<[string, string]>("UPDATE documents SET status = 'Deprecated', deprecated_at = ? WHERE entry_uuid = ?"),
  };
}
type Store = ReturnType<typeof openStore>;

const failure = (code: string, context: string): RegistryResponse => ({ status: 'failure', errors: [{ code, context, severity: 'Error' }] });
const SUCCESS: RegistryResponse = { status: 'success', errors: [] };
const OID_RE = /^[0-2](\.(0|[1-9]\d*))+$/;
const PATIENT_ID_RE = /^[0-9A-Za-z]{1,20}\^\^\^&[0-2](\.(0|[1-9]\d*))+&ISO$/;
const DTM_RE = /^\d{8}(\d{2}){0,3}$/;

/** The metadata errors of a submission, in the order the checks find them; none when it may be stored. */
function metadataErrors(s: Extract<ReceivedSubmission, { kind: 'submit' }>): RegistryResponse | null {
  const m = s.meta;
  if (m.uniqueId === '') return failure('XDSRegistryMetadataError', 'XDSDocumentEntry.uniqueId absent');
  if (m.uniqueId.length > 64 || !OID_RE.test(m.uniqueId)) return failure('XDSRegistryMetadataError', `XDSDocumentEntry.uniqueId n’est pas un OID : ${m.uniqueId}`);
  if (m.patientId === '') return failure('XDSRegistryMetadataError', 'XDSDocumentEntry.patientId absent');
  if (!PATIENT_ID_RE.test(m.patientId)) return failure('XDSRegistryMetadataError', `XDSDocumentEntry.patientId mal formé : ${m.patientId}`);
  if (m.submissionSet.patientId !== m.patientId) return failure('XDSPatientIdDoesNotMatch', 'le patientId du lot de soumission diffère de celui du document');
  if (m.sourcePatientId !== '' && m.sourcePatientId !== m.patientId) return failure('XDSPatientIdDoesNotMatch', 'sourcePatientId diffère de patientId');
  if (s.assertion.resourceId !== m.patientId) return failure('XDSPatientIdDoesNotMatch', 'le patient de l’assertion VIHF (resource-id) diffère de celui du document');
  if (m.submissionSet.uniqueId === '' || !OID_RE.test(m.submissionSet.uniqueId)) return failure('XDSRegistryMetadataError', 'XDSSubmissionSet.uniqueId absent ou mal formé');
  if (m.submissionSet.sourceId === '') return failure('XDSRegistryMetadataError', 'XDSSubmissionSet.sourceId absent');
  if (!DTM_RE.test(m.submissionSet.submissionTime)) return failure('XDSRegistryMetadataError', 'XDSSubmissionSet.submissionTime absent ou mal formé');
  const coded: [keyof typeof m.codingSchemes, string, string][] = [
    ['typeCode', XDS_CODES.typeCode.code, XDS_CODES.typeCode.scheme],
    ['classCode', XDS_CODES.classCode.code, XDS_CODES.classCode.scheme],
    ['formatCode', XDS_CODES.formatCode.code, XDS_CODES.formatCode.scheme],
    ['confidentialityCode', XDS_CODES.confidentialityCode.code, XDS_CODES.confidentialityCode.scheme],
    ['practiceSettingCode', XDS_CODES.practiceSettingCode.code, XDS_CODES.practiceSettingCode.scheme],
  ];
  for (const [name, code, scheme] of coded) {
    if (m[name] !== code || m.codingSchemes[name] !== scheme) return failure('XDSRegistryMetadataError', `${name} attendu ${code} (${scheme}), reçu ${m[name] || 'rien'} (${m.codingSchemes[name] || 'rien'})`);
  }
  if (!['SA07', 'SA08'].includes(m.healthcareFacilityTypeCode) || m.codingSchemes.healthcareFacilityTypeCode !== XDS_CODES.healthcareFacilityTypeScheme) {
    return failure('XDSRegistryMetadataError', `healthcareFacilityTypeCode attendu SA07 ou SA08 (${XDS_CODES.healthcareFacilityTypeScheme}), reçu ${m.healthcareFacilityTypeCode || 'rien'}`);
  }
  if (m.submissionSet.contentTypeCode === '') return failure('XDSRegistryMetadataError', 'XDSSubmissionSet.contentTypeCode absent');
  if (!DTM_RE.test(m.creationTime)) return failure('XDSRegistryMetadataError', 'creationTime absent ou mal formé');
  if (m.serviceStartTime !== '' && !DTM_RE.test(m.serviceStartTime)) return failure('XDSRegistryMetadataError', 'serviceStartTime mal formé');
  if (m.languageCode === '') return failure('XDSRegistryMetadataError', 'languageCode absent');
  if (!m.author || !m.author.person.includes('&1.2.250.1.71.4.2.1&ISO')) return failure('XDSRegistryMetadataError', 'auteur absent ou sans identifiant RPPS (authorPerson)');
  if (m.mimeType !== XDS_CODES.mimeType) return failure('XDSRepositoryMetadataError', `mimeType attendu ${XDS_CODES.mimeType}, reçu ${m.mimeType || 'rien'}`);
  const sha1 = createHash('sha1').update(s.document).digest('hex');
  if (m.hashSha1 !== '' && m.hashSha1.toLowerCase() !== sha1) return failure('XDSRepositoryMetadataError', `hash ${m.hashSha1} ne correspond pas au document reçu (${sha1})`);
  if (m.size !== null && m.size !== s.document.length) return failure('XDSRepositoryMetadataError', `size ${m.size} ne correspond pas au document reçu (${s.document.length} octets)`);
  return null;
}

/** Processes one parsed request against the store (one transaction). */
function handle(store: Store, s: ReceivedSubmission, now: Date): RegistryResponse {
  if (s.kind === 'submit') {
    const problem = metadataErrors(s);
    if (problem) return problem;
    const sha1 = createHash('sha1').update(s.document).digest('hex');
    const entryUuid = s.meta.entryUuid.startsWith('urn:uuid:') ? s.meta.entryUuid : entryUuidOf(s.meta.uniqueId);
    return store.db.transaction((): RegistryResponse => {
      const existing = store.byUniqueId.get(s.meta.uniqueId);
      if (existing) {
        if (existing.hash === sha1 && existing.patientId === s.meta.patientId) return SUCCESS;
        return failure('XDSDuplicateUniqueIdInRegistry', `un autre document porte déjà l’identifiant ${s.meta.uniqueId}`);
      }
      if (store.byEntryUuid.get(entryUuid)) return failure('XDSRegistryMetadataError', `entryUUID ${entryUuid} déjà attribué à un autre document`);
      const { submissionSet, ...entry } = s.meta;
      store.insert.run(s.meta.uniqueId, entryUuid, s.meta.patientId, sha1, s.document.length, now.toISOString(), JSON.stringify({ entry, submissionSet, assertion: s.assertion }), s.document);
      return SUCCESS;
    })();
  }
  if (s.newStatus !== STATUS.deprecated || s.originalStatus !== STATUS.approved) {
    return failure('XDSMetadataUpdateOperationError', `seul le passage ${STATUS.approved} → ${STATUS.deprecated} est pris en charge`);
  }
  return store.db.transaction((): RegistryResponse => {
    const existing = store.byEntryUuid.get(s.entryUuid);
    if (!existing) return failure('UnresolvedReferenceException', `aucun document ${s.entryUuid}`);
    if (existing.patientId !== s.patientId || s.assertion.resourceId !== s.patientId) return failure('XDSPatientIdDoesNotMatch', 'le patient de la mise à jour diffère de celui du document');
    if (existing.status === 'Approved') store.deprecate.run(now.toISOString(), s.entryUuid);
    return SUCCESS;
  })();
}

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Starts the sandbox on 127.0.0.1 (a free port unless `port` is given). */
export async function startSandboxDmp(options: SandboxOptions): Promise<SandboxDmp> {
  let faults: SandboxFaults = { failRate: 0, latencyMs: 0, dropAfterCommit: 0, faults: [...ALL_FAULTS], ...checkFaults(options) };
  const random = options.random ?? Math.random;
  const timeoutHoldMs = options.timeoutHoldMs ?? 30_000;
  const store = openStore(options.dataDir);
  const held = new Set<NodeJS.Timeout>();
  let closing = false;

  const send = (res: http.ServerResponse, status: number, contentType: string, body: Buffer | string) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const json = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
  const readBody = (req: http.IncomingMessage): Promise<Buffer | null> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          resolve(null);
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  async function soap(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const f = faults;
    const fault = f.failRate > 0 && f.faults.length > 0 && random() < f.failRate ? f.faults[Math.min(f.faults.length - 1, Math.floor(random() * f.faults.length))]! : null;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      const timer = setTimeout(() => {
        held.delete(timer);
        req.socket.destroy();
      }, timeoutHoldMs);
      held.add(timer);
      // The socket's close, not the request's (which closes as soon as its body is read).
      req.socket.once('close', () => {
        clearTimeout(timer);
        held.delete(timer);
      });
      req.resume();
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      send(res, 413, 'text/plain; charset=utf-8', 'Requête trop volumineuse');
      return;
    }
    if (f.latencyMs > 0) await wait(f.latencyMs);
    if (fault === 'http500') {
      send(res, 500, 'text/plain; charset=utf-8', 'Erreur interne du DMP de démonstration (panne simulée)');
      return;
    }
    if (fault === 'soapFault') {
      send(res, 500, 'application/soap+xml; charset=utf-8', soapFaultXml('Receiver', 'Service momentanément indisponible (panne simulée)'));
      return;
    }
    let submission: ReceivedSubmission;
    try {
      submission = parseSubmission(req.headers['content-type'] ?? '', body);
    } catch (error) {
      if (error instanceof XdsParseError && error.code !== 'Sender') {
        send(res, 200, 'application/soap+xml; charset=utf-8', registryResponseXml(failure(error.code, error.message)));
      } else {
        send(res, 400, 'application/soap+xml; charset=utf-8', soapFaultXml('Sender', error instanceof Error ? error.message : 'requête illisible'));
      }
      return;
    }
    if (!submission.assertion.present) {
      send(res, 400, 'application/soap+xml; charset=utf-8', soapFaultXml('Sender', 'Assertion VIHF absente (wsse:Security)'));
      return;
    }
    const response = handle(store, submission, new Date());
    if (f.dropAfterCommit > 0 && random() < f.dropAfterCommit) {
      req.socket.destroy();
      return;
    }
    if (submission.kind === 'submit') {
      // An MTOM request gets an MTOM reply, as the XDS.b repositories answer.
      const action = ACTION.provideAndRegisterResponse;
      const reply = mtom(registryResponseXml(response, action), action, []);
      send(res, 200, reply.contentType, reply.body);
    } else {
      send(res, 200, `application/soap+xml; charset=utf-8; action="${ACTION.updateDocumentSetResponse}"`, registryResponseXml(response, ACTION.updateDocumentSetResponse));
    }
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path === '/dmp') return soap(req, res);
    if (req.method === 'GET' && path === '/health') return json(res, 200, { ok: true, documents: store.all.all().length });
    if (req.method === 'GET' && path === '/documents') return json(res, 200, store.all.all().map(({ entryUuid: _e, ...row }) => row));
    if (req.method === 'GET' && path.startsWith('/documents/')) {
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/documents/'.length));
      } catch {
        return json(res, 400, { error: 'identifiant illisible' });
      }
      const doc = store.document.get(id);
      return doc === undefined ? json(res, 404, { error: `aucun document ${id}` }) : send(res, 200, 'text/xml', doc);
    }
    if (req.method === 'POST' && path === '/control') {
      const body = await readBody(req);
      try {
        const input: unknown = JSON.parse(body?.toString('utf8') ?? '');
        if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new RangeError('un objet JSON est attendu');
        faults = { ...faults, ...checkFaults(input) };
        return json(res, 200, faults);
      } catch (error) {
        return json(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return json(res, 404, { error: 'introuvable' });
  }

  const server = http.createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    if (closing) {
      req.socket.destroy();
      return;
    }
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, 500, 'application/soap+xml; charset=utf-8', soapFaultXml('Receiver', error instanceof Error ? error.message : 'erreur interne'));
      else req.socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/dmp`,
    origin,
    setFaults(f) {
      faults = { ...faults, ...checkFaults(f) };
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const t of held) clearTimeout(t);
      held.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      store.db.close();
    },
  };
}
