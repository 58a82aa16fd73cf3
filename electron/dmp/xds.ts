/**
 * The IHE XDS.b messages of the DMP (DOMAIN.md §5): ITI-41 Provide and Register Document Set-b
 * (the CDA and its ebRIM 3.0 metadata, SOAP 1.2 with MTOM/XOP) and ITI-57 Update Document Set
 * (a cancelled prescription's document made Deprecated), with WS-Addressing headers and the VIHF
 * assertion in wsse:Security; the RegistryResponse and SOAP 1.2 faults that answer them.
 *
 * Both sides live here: the sender's builders and reply parser (client.ts), and the receiver's
 * parser and reply writers, used by the sandbox DMP (electron/sandbox/dmp.ts). XML is written
 * with xmlbuilder2 (which escapes every text and attribute) and read with fast-xml-parser; only
 * the MIME framing of MTOM (multipart/related, RFC 2387 + XOP) is done by hand, binary-safe.
 */
import { createHash, randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { insCxOf, psIdOf, specialtyCodeOf, structureIdOf, type VihfAssertion } from './vihf';

// ---------------------------------------------------------------------------------------------
// Constants: namespaces, actions, the ebRIM/XDS UUIDs of ITI TF-3 §4.2.5, the codes of §5.

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  xdsb: 'urn:ihe:iti:xds-b:2007',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  xop: 'http://www.w3.org/2004/08/xop/include',
} as const;

export const ACTION = {
  provideAndRegister: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
  provideAndRegisterResponse: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
  updateDocumentSet: 'urn:ihe:iti:2010:UpdateDocumentSet',
  updateDocumentSetResponse: 'urn:ihe:iti:2010:UpdateDocumentSetResponse',
} as const;

const UUID = {
  documentEntry: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  submissionSet: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
  deAuthor: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a2d5d',
  deClassCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
  deConfidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
  deFormatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
  deHealthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
  dePracticeSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
  deTypeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  dePatientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  deUniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  ssAuthor: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
  ssContentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
  ssUniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  ssSourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
  ssPatientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
} as const;

const STATUS_TYPE = 'urn:oasis:names:tc:ebxml-regrep:StatusType:';
const RESPONSE_STATUS = {
  success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  partial: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
} as const;
const SEVERITY_PREFIX = 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:';

/** The codes of a prescription's DocumentEntry (DOMAIN.md §5), with their coding schemes. */
export const XDS_CODES = {
  typeCode: { code: '57833-6', scheme: '2.16.840.1.113883.6.1', display: 'Prescription de produits de santé' },
  classCode: { code: '42', scheme: '1.2.250.1.213.1.1.4.1', display: 'Prescription' },
  formatCode: { code: 'urn:ihe:pharm:pre:2010', scheme: '1.3.6.1.4.1.19376.1.2.3', display: 'Prescription de médicaments' },
  confidentialityCode: { code: 'N', scheme: '2.16.840.1.113883.5.25', display: 'Normal' },
  practiceSettingCode: { code: 'AMBULATOIRE', scheme: '1.2.250.1.213.1.1.4.9', display: 'Ambulatoire' },
  healthcareFacilityTypeScheme: '1.2.250.1.71.4.2.4',
  mimeType: 'text/xml',
  languageCode: 'fr-FR',
} as const;

const FACILITY_DISPLAY = { SA07: 'Cabinet individuel', SA08: 'Cabinet de groupe' } as const;

const OID = { rpps: '1.2.250.1.71.4.2.1', structure: '1.2.250.1.71.4.2.2', prescriptionId: '1.2.250.1.215.500.1.1', profession: '1.2.250.1.71.1.2.7', authorSpecialty: '1.2.250.1.213.1.1.4.5' } as const;

/**
 * The sourceId of Ordo's submissions. The real one is the OID the ANS assigns to the software at
 * DMP approval; until then a stable 2.25 (UUID-derived) OID of the name stands in.
 */
export const SOURCE_ID = oidOfBytes(createHash('sha256').update('ordo-xds-source', 'utf8').digest());

// ---------------------------------------------------------------------------------------------
// The sender's side.

export interface DocumentEntryMeta {
  uniqueId: string;
  patientIns: { nir: string; oid: string };
  hashSha1: string;
  size: number;
  creationTime: Date;
  serviceStartTime: Date;
  title: string;
  author: { rpps: string; lastName: string; firstName: string; specialty: string };
  facilityType: 'SA07' | 'SA08';
  rxId: string;
}

export interface XdsMessage {
  contentType: string;
  body: Buffer;
  soapAction: string;
}

function oidOfBytes(bytes: Buffer): string {
  return `2.25.${BigInt(`0x${bytes.subarray(0, 16).toString('hex')}`).toString(10)}`;
}

/**
 * The entryUUID of a document: derived from its uniqueId (a name-based UUID, version 5 layout), so
 * that an ITI-57 update can name the entry it targets without a query first.
 */
export function entryUuidOf(uniqueId: string): string {
  const h = createHash('sha1').update(`ordo-xds-entry:${uniqueId}`, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** A submission set's uniqueId: one per message (from its MessageID), as a 2.25 OID. */
function submissionSetUniqueId(messageId: string): string {
  const uuid = /^(?:urn:uuid:)?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(messageId);
  if (uuid) return `2.25.${BigInt(`0x${uuid.slice(1).join('')}`).toString(10)}`;
  return oidOfBytes(createHash('sha256').update(`ordo-xds-submission:${messageId}`, 'utf8').digest());
}

/** An XDS DTM: YYYYMMDDHHMMSS, UTC. */
export function xdsTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** HL7 v2 components are separated by ^ and & : a name holding one of them would shift the fields. */
const hl7 = (s: string): string => s.replace(/[\^&~|\\]/g, ' ').replace(/\s+/g, ' ').trim();

const authorPersonOf = (a: DocumentEntryMeta['author']): string =>
  [psIdOf(a.rpps), hl7(a.lastName), hl7(a.firstName), '', '', '', '', '', `&${OID.rpps}&ISO`, 'D', '', '', 'IDNPS'].join('^');
const authorInstitutionOf = (a: DocumentEntryMeta['author']): string =>
  [`Cabinet du Dr ${hl7(a.firstName)} ${hl7(a.lastName)}`.replace(/\s+/g, ' '), '', '', '', '', `&${OID.structure}&ISO`, 'IDNST', '', '', structureIdOf(a.rpps)].join('^');
const authorRoleOf = (): string => `10^Médecin^${OID.profession}`;
const authorSpecialtyOf = (a: DocumentEntryMeta['author']): string => {
  const s = specialtyCodeOf(a.specialty);
  return `G15_10/${s.code}^Médecin - ${s.displayName} (SM)^${OID.authorSpecialty}`;
};

function slot(parent: XMLBuilder, name: string, values: readonly string[]): void {
  const list = parent.ele(NS.rim, 'rim:Slot', { name }).ele(NS.rim, 'rim:ValueList');
  for (const v of values) list.ele(NS.rim, 'rim:Value').txt(v);
}

function localized(parent: XMLBuilder, element: 'rim:Name' | 'rim:Description', value: string): void {
  parent.ele(NS.rim, element).ele(NS.rim, 'rim:LocalizedString', { 'xml:lang': 'fr-FR', charset: 'UTF-8', value });
}

let nextId = 0;
const localId = (prefix: string): string => `${prefix}${(nextId = (nextId + 1) % 1e9)}`;

function classification(parent: XMLBuilder, objectId: string, scheme: string, code: string, codingScheme: string, display: string): void {
  const c = parent.ele(NS.rim, 'rim:Classification', {
    id: localId('cl'),
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
    classificationScheme: scheme,
    classifiedObject: objectId,
    nodeRepresentation: code,
  });
  slot(c, 'codingScheme', [codingScheme]);
  localized(c, 'rim:Name', display);
}

function authorClassification(parent: XMLBuilder, objectId: string, scheme: string, author: DocumentEntryMeta['author']): void {
  const c = parent.ele(NS.rim, 'rim:Classification', {
    id: localId('cl'),
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
    classificationScheme: scheme,
    classifiedObject: objectId,
    nodeRepresentation: '',
  });
  slot(c, 'authorPerson', [authorPersonOf(author)]);
  slot(c, 'authorInstitution', [authorInstitutionOf(author)]);
  slot(c, 'authorRole', [authorRoleOf()]);
  slot(c, 'authorSpecialty', [authorSpecialtyOf(author)]);
}

function externalId(parent: XMLBuilder, objectId: string, scheme: string, value: string, name: string): void {
  const e = parent.ele(NS.rim, 'rim:ExternalIdentifier', {
    id: localId('ei'),
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier',
    identificationScheme: scheme,
    registryObject: objectId,
    value,
  });
  localized(e, 'rim:Name', name);
}

/** The submission set of a message; `author` when the message submits a document of his. */
function submissionSet(list: XMLBuilder, ss: string, messageId: string, patientId: string, title: string, now: Date, author: DocumentEntryMeta['author'] | null): void {
  const pkg = list.ele(NS.rim, 'rim:RegistryPackage', { id: ss, objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage' });
  slot(pkg, 'submissionTime', [xdsTime(now)]);
  localized(pkg, 'rim:Name', title);
  if (author) authorClassification(pkg, ss, UUID.ssAuthor, author);
  // One kind of document per submission: the content type is the document's own LOINC type.
  classification(pkg, ss, UUID.ssContentTypeCode, XDS_CODES.typeCode.code, XDS_CODES.typeCode.scheme, XDS_CODES.typeCode.display);
  externalId(pkg, ss, UUID.ssUniqueId, submissionSetUniqueId(messageId), 'XDSSubmissionSet.uniqueId');
  externalId(pkg, ss, UUID.ssSourceId, SOURCE_ID, 'XDSSubmissionSet.sourceId');
  externalId(pkg, ss, UUID.ssPatientId, patientId, 'XDSSubmissionSet.patientId');
  list.ele(NS.rim, 'rim:Classification', {
    id: localId('cl'),
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
    classifiedObject: ss,
    classificationNode: UUID.submissionSet,
  });
}

/** Where the assertion goes: replaced after serialisation, so that its bytes (and a signature over them) stay intact. */
const ASSERTION_MARK = 'ordo-vihf-assertion';

function envelope(action: string, messageId: string, to: string | undefined, body: (b: XMLBuilder) => void): { doc: XMLBuilder; finish: (xml: string, a: VihfAssertion) => string } {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const env = doc.ele(NS.soap, 'soap:Envelope', { 'xmlns:wsa': NS.wsa });
  const header = env.ele(NS.soap, 'soap:Header');
  header.ele(NS.wsa, 'wsa:Action', { 'soap:mustUnderstand': 'true' }).txt(action);
  header.ele(NS.wsa, 'wsa:MessageID').txt(messageId);
  header.ele(NS.wsa, 'wsa:ReplyTo').ele(NS.wsa, 'wsa:Address').txt('http://www.w3.org/2005/08/addressing/anonymous');
  if (to !== undefined) header.ele(NS.wsa, 'wsa:To', { 'soap:mustUnderstand': 'true' }).txt(to);
  header.ele(NS.wsse, 'wsse:Security', { 'soap:mustUnderstand': 'true' }).com(ASSERTION_MARK);
  body(env.ele(NS.soap, 'soap:Body'));
  return {
    doc,
    finish: (xml, a) => {
      const mark = `<!--${ASSERTION_MARK}-->`;
      const at = xml.indexOf(mark);
      if (at < 0) throw new Error('VIHF insertion point missing');
      return xml.slice(0, at) + assertionXml(a) + xml.slice(at + mark.length);
    },
  };
}

/** The assertion as it will be inserted: one well-formed saml2:Assertion element, nothing around it. */
function assertionXml(a: VihfAssertion): string {
  const xml = a.xml.replace(/^\uFEFF/, '').replace(/^<\?xml[^>]*\?>/, '').trim();
  // Well-formed with a single root (the validator refuses several), and that root is an Assertion.
  if (/<!DOCTYPE/i.test(xml) || wellFormed(xml) !== null) throw new Error('assertion VIHF mal formée');
  if (!/^<([A-Za-z_][\w.-]*:)?Assertion[\s/>]/.test(xml)) throw new Error('l’assertion VIHF doit être un unique élément saml2:Assertion');
  return xml;
}

/** A MIME boundary that appears nowhere in the parts. */
function boundaryFor(parts: readonly Buffer[]): string {
  for (;;) {
    const b = `MIMEBoundary_${randomBytes(18).toString('hex')}`;
    if (parts.every((p) => !p.includes(b))) return b;
  }
}

/** The MTOM package (multipart/related, XOP): the SOAP envelope as root, then each binary part. */
export function mtom(soapXml: Buffer, action: string, attachments: readonly { contentId: string; contentType: string; content: Buffer }[]): { contentType: string; body: Buffer } {
  const rootId = `root.${randomBytes(8).toString('hex')}@ordo.local`;
  const boundary = boundaryFor([soapXml, ...attachments.map((a) => a.content)]);
  const chunks: Buffer[] = [];
  const head = (lines: string[]) => Buffer.from(`--${boundary}\r\n${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  chunks.push(head([`Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="${action}"`, 'Content-Transfer-Encoding: binary', `Content-ID: <${rootId}>`]));
  chunks.push(soapXml, Buffer.from('\r\n'));
  for (const a of attachments) {
    chunks.push(head([`Content-Type: ${a.contentType}`, 'Content-Transfer-Encoding: binary', `Content-ID: <${a.contentId}>`]));
    chunks.push(a.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    contentType: `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="<${rootId}>"; start-info="application/soap+xml"; action="${action}"`,
    body: Buffer.concat(chunks),
  };
}

/**
 * ITI-41: the CDA and its metadata, MTOM-packaged. `to` is the endpoint's address (wsa:To);
 * client.ts passes the URL it posts to.
 */
export function buildProvideAndRegister(meta: DocumentEntryMeta, cda: Buffer, assertion: VihfAssertion, messageId: string, to?: string): XdsMessage {
  const patientId = insCxOf(meta.patientIns);
  const de = entryUuidOf(meta.uniqueId);
  const ss = 'SubmissionSet01';
  const contentId = `document.${randomBytes(8).toString('hex')}@ordo.local`;
  const { doc, finish } = envelope(ACTION.provideAndRegister, messageId, to, (body) => {
    const request = body.ele(NS.xdsb, 'xdsb:ProvideAndRegisterDocumentSetRequest');
    const list = request.ele(NS.lcm, 'lcm:SubmitObjectsRequest').ele(NS.rim, 'rim:RegistryObjectList');
    // No status attribute: the registry sets availabilityStatus (Approved) itself.
    const eo = list.ele(NS.rim, 'rim:ExtrinsicObject', { id: de, mimeType: XDS_CODES.mimeType, objectType: UUID.documentEntry });
    slot(eo, 'creationTime', [xdsTime(meta.creationTime)]);
    slot(eo, 'hash', [meta.hashSha1.toLowerCase()]);
    slot(eo, 'languageCode', [XDS_CODES.languageCode]);
    slot(eo, 'serviceStartTime', [xdsTime(meta.serviceStartTime)]);
    slot(eo, 'size', [String(meta.size)]);
    slot(eo, 'sourcePatientId', [patientId]);
    slot(eo, 'urn:ihe:iti:xds:2013:referenceIdList', [`${hl7(meta.rxId)}^^^&${OID.prescriptionId}&ISO^urn:ihe:iti:xds:2013:order`]);
    localized(eo, 'rim:Name', meta.title);
    authorClassification(eo, de, UUID.deAuthor, meta.author);
    const c = XDS_CODES;
    classification(eo, de, UUID.deClassCode, c.classCode.code, c.classCode.scheme, c.classCode.display);
    classification(eo, de, UUID.deConfidentialityCode, c.confidentialityCode.code, c.confidentialityCode.scheme, c.confidentialityCode.display);
    classification(eo, de, UUID.deFormatCode, c.formatCode.code, c.formatCode.scheme, c.formatCode.display);
    classification(eo, de, UUID.deHealthcareFacilityTypeCode, meta.facilityType, c.healthcareFacilityTypeScheme, FACILITY_DISPLAY[meta.facilityType]);
    classification(eo, de, UUID.dePracticeSettingCode, c.practiceSettingCode.code, c.practiceSettingCode.scheme, c.practiceSettingCode.display);
    classification(eo, de, UUID.deTypeCode, c.typeCode.code, c.typeCode.scheme, c.typeCode.display);
    externalId(eo, de, UUID.dePatientId, patientId, 'XDSDocumentEntry.patientId');
    externalId(eo, de, UUID.deUniqueId, meta.uniqueId, 'XDSDocumentEntry.uniqueId');
    submissionSet(list, ss, messageId, patientId, meta.title, new Date(), meta.author);
    const as = list.ele(NS.rim, 'rim:Association', {
      id: localId('as'),
      associationType: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
      sourceObject: ss,
      targetObject: de,
    });
    slot(as, 'SubmissionSetStatus', ['Original']);
    request.ele(NS.xdsb, 'xdsb:Document', { id: de }).ele(NS.xop, 'xop:Include', { href: `cid:${encodeURIComponent(contentId).replace(/%40/g, '@')}` });
  });
  const xml = Buffer.from(finish(doc.end({ prettyPrint: false }), assertion), 'utf8');
  const { contentType, body } = mtom(xml, ACTION.provideAndRegister, [{ contentId, contentType: XDS_CODES.mimeType, content: cda }]);
  return { contentType, body, soapAction: ACTION.provideAndRegister };
}

/** ITI-57: the document's availabilityStatus from Approved to Deprecated (a cancelled prescription). Plain SOAP 1.2. */
export function buildDeprecate(meta: { uniqueId: string; patientIns: { nir: string; oid: string }; rxId: string }, assertion: VihfAssertion, messageId: string, to?: string): XdsMessage {
  const patientId = insCxOf(meta.patientIns);
  const ss = 'SubmissionSet01';
  const { doc, finish } = envelope(ACTION.updateDocumentSet, messageId, to, (body) => {
    const list = body.ele(NS.lcm, 'lcm:SubmitObjectsRequest').ele(NS.rim, 'rim:RegistryObjectList');
    submissionSet(list, ss, messageId, patientId, `Annulation de la prescription ${meta.rxId}`, new Date(), null);
    const as = list.ele(NS.rim, 'rim:Association', {
      id: localId('as'),
      associationType: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus',
      sourceObject: ss,
      targetObject: entryUuidOf(meta.uniqueId),
    });
    slot(as, 'OriginalStatus', [`${STATUS_TYPE}Approved`]);
    slot(as, 'NewStatus', [`${STATUS_TYPE}Deprecated`]);
  });
  const xml = Buffer.from(finish(doc.end({ prettyPrint: false }), assertion), 'utf8');
  return { contentType: `application/soap+xml; charset=UTF-8; action="${ACTION.updateDocumentSet}"`, body: xml, soapAction: ACTION.updateDocumentSet };
}

// ---------------------------------------------------------------------------------------------
// Reading: MIME, XML, the replies.

/** Malformed input: `code` is an XDS error code, or 'Sender' for a message that is not SOAP at all. */
export class XdsParseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'XdsParseError';
  }
}

const ARRAYS = new Set(['ExtrinsicObject', 'RegistryPackage', 'Classification', 'ExternalIdentifier', 'Slot', 'Value', 'Association', 'Document', 'RegistryError', 'LocalizedString', 'Text', 'Attribute', 'AttributeValue', 'Assertion', 'Include']);
/** null when the text is well-formed XML, else what is wrong. */
function wellFormed(xml: string): string | null {
  try {
    SyntaxValidator.validate(xml);
    return null;
  } catch (error) {
    const line = (error as { line?: unknown }).line;
    return `${error instanceof Error ? error.message : String(error)}${typeof line === 'number' ? ` (ligne ${line})` : ''}`;
  }
}

/**
 * The five predefined entities and character references, decoded in one pass (so « &amp;#233; »
 * stays « &#233; »). There is no other entity: a DTD is refused before parsing.
 */
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeEntities(t: string): string {
  if (!t.includes('&')) return t;
  return t.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+);/g, (whole, e: string) => {
    if (e[0] !== '#') return PREDEFINED[e] ?? whole;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}
const entityDecoder = { setExternalEntities: () => undefined, addInputEntities: () => undefined, reset: () => undefined, setXmlVersion: () => undefined, decode: decodeEntities };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  entityDecoder,
  isArray: (name) => ARRAYS.has(name),
});

type XNode = Record<string, unknown>;
const asNode = (v: unknown): XNode | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as XNode) : v === '' ? {} : undefined);
function kids(node: XNode | undefined, name: string): XNode[] {
  const v = node?.[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.map((x) => (typeof x === 'string' ? { '#text': x } : asNode(x))).filter((x): x is XNode => x !== undefined);
}
const kid = (node: XNode | undefined, name: string): XNode | undefined => kids(node, name)[0];
const attr = (node: XNode | undefined, name: string): string | undefined => {
  const v = node?.[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
};
const text = (node: XNode | undefined): string => {
  const v = node?.['#text'];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
};

/** A Content-Type: the media type (lower case) and its parameters (names lower case, quotes removed). */
export function parseContentType(value: string): { type: string; params: Record<string, string> } {
  const m = /^\s*([^;\s]+)\s*/.exec(value);
  const params: Record<string, string> = {};
  if (!m) return { type: '', params };
  let rest = value.slice(m[0].length);
  const param = /^;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*/;
  for (;;) {
    const p = param.exec(rest);
    if (!p) break;
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
    rest = rest.slice(p[0].length);
  }
  return { type: m[1]!.toLowerCase(), params };
}

interface MimePart {
  headers: Record<string, string>;
  content: Buffer;
}

const CRLF = Buffer.from('\r\n');

/** The parts of a multipart body (RFC 2046), binary-safe; throws on a missing or unterminated boundary. */
function splitMultipart(body: Buffer, boundary: string): MimePart[] {
  if (boundary === '' || boundary.length > 200) throw new XdsParseError('Sender', 'multipart sans boundary valide');
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.concat([CRLF, dash]);
  let at = body.subarray(0, dash.length).equals(dash) ? 0 : body.indexOf(delimiter);
  if (at < 0) throw new XdsParseError('Sender', 'multipart : boundary introuvable');
  at += at === 0 && body.subarray(0, dash.length).equals(dash) ? dash.length : delimiter.length;
  const parts: MimePart[] = [];
  for (;;) {
    if (body.subarray(at, at + 2).toString('latin1') === '--') return parts;
    const eol = body.indexOf(CRLF, at);
    if (eol < 0 || body.subarray(at, eol).toString('latin1').trim() !== '') throw new XdsParseError('Sender', 'multipart : délimiteur mal formé');
    const start = eol + 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new XdsParseError('Sender', 'multipart tronqué (pas de délimiteur de fin)');
    parts.push(parsePart(body.subarray(start, next)));
    at = next + delimiter.length;
  }
}

function parsePart(raw: Buffer): MimePart {
  // A part without headers starts with the blank line itself.
  const bare = raw.subarray(0, 2).equals(CRLF);
  const end = bare ? -2 : raw.indexOf('\r\n\r\n');
  if (end === -1) throw new XdsParseError('Sender', 'partie MIME sans ligne vide après ses en-têtes');
  const headerText = bare ? '' : raw.subarray(0, end).toString('latin1');
  const headers: Record<string, string> = {};
  for (const line of headerText.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new XdsParseError('Sender', 'en-tête MIME mal formé');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let content = raw.subarray(end + 4);
  const encoding = (headers['content-transfer-encoding'] ?? 'binary').toLowerCase();
  if (encoding === 'base64') content = Buffer.from(content.toString('latin1').replace(/\s+/g, ''), 'base64');
  else if (!['binary', '8bit', '7bit'].includes(encoding)) throw new XdsParseError('Sender', `Content-Transfer-Encoding non pris en charge : ${encoding}`);
  return { headers, content };
}

const unbracket = (cid: string): string => cid.trim().replace(/^<(.*)>$/, '$1');

interface SoapMessage {
  envelope: XNode;
  /** The XOP parts by Content-ID (without angle brackets). */
  attachments: Map<string, Buffer>;
}

/** The SOAP envelope of a plain SOAP or MTOM body, and its attachments. */
function readSoap(contentType: string, body: Buffer): SoapMessage {
  const ct = parseContentType(contentType);
  let root: Buffer;
  const attachments = new Map<string, Buffer>();
  if (ct.type === 'multipart/related') {
    const parts = splitMultipart(body, ct.params['boundary'] ?? '');
    if (parts.length === 0) throw new XdsParseError('Sender', 'multipart vide');
    const start = ct.params['start'] !== undefined ? unbracket(ct.params['start']) : undefined;
    const rootPart = start === undefined ? parts[0]! : parts.find((p) => unbracket(p.headers['content-id'] ?? '') === start);
    if (!rootPart) throw new XdsParseError('Sender', `partie racine ${start} introuvable`);
    const rootType = parseContentType(rootPart.headers['content-type'] ?? '').type;
    if (rootType !== 'application/xop+xml' && rootType !== 'application/soap+xml') throw new XdsParseError('Sender', `partie racine de type ${rootType || 'absent'}`);
    for (const p of parts) if (p !== rootPart && p.headers['content-id'] !== undefined) attachments.set(unbracket(p.headers['content-id']), p.content);
    root = rootPart.content;
  } else if (ct.type === 'application/soap+xml' || ct.type === 'text/xml' || ct.type === 'application/xml') {
    root = body;
  } else {
    throw new XdsParseError('Sender', `type de contenu inattendu : ${ct.type || 'absent'}`);
  }
  const xml = root.toString('utf8').replace(/^\uFEFF/, '');
  // SOAP forbids a DTD (SOAP 1.2 part 1 §5): refusing one also rules out entity expansion.
  if (/<!DOCTYPE/i.test(xml)) throw new XdsParseError('Sender', 'DTD interdite dans un message SOAP');
  const problem = wellFormed(xml);
  if (problem !== null) throw new XdsParseError('Sender', `XML mal formé : ${problem}`);
  const envelope = asNode((parser.parse(xml) as XNode)['Envelope']);
  if (!envelope) throw new XdsParseError('Sender', 'pas d’enveloppe SOAP');
  return { envelope, attachments };
}

export interface SoapFault {
  /** The local name of the fault code: 'Sender', 'Receiver', 'MustUnderstand', 'VersionMismatch'… */
  code: string;
  subcode: string | null;
  reason: string;
}

const localName = (qname: string): string => qname.trim().replace(/^.*:/, '');

/** The SOAP 1.2 fault a body holds, or null (not SOAP, or no fault). */
export function parseSoapFault(contentType: string, body: Buffer): SoapFault | null {
  try {
    const fault = kid(kid(readSoap(contentType, body).envelope, 'Body'), 'Fault');
    if (!fault) return null;
    const code = kid(fault, 'Code');
    const sub = kid(kid(code, 'Subcode'), 'Value');
    const reasons = kids(kid(fault, 'Reason'), 'Text');
    const reason = reasons.find((t) => attr(t, 'lang')?.startsWith('fr')) ?? reasons[0];
    return { code: localName(text(kid(code, 'Value'))), subcode: sub ? localName(text(sub)) : null, reason: text(reason) };
  } catch {
    return null;
  }
}

export interface RegistryResponse {
  status: 'success' | 'failure' | 'partial';
  errors: { code: string; context: string; severity: string }[];
}

/** The RegistryResponse of a reply, plain SOAP or MTOM-wrapped; throws on a body that is neither. */
export function parseRegistryResponse(contentType: string, body: Buffer): RegistryResponse {
  const response = kid(kid(readSoap(contentType, body).envelope, 'Body'), 'RegistryResponse');
  if (!response) throw new XdsParseError('Sender', 'pas de RegistryResponse dans la réponse');
  const s = attr(response, 'status') ?? '';
  const status = s === RESPONSE_STATUS.success ? 'success' : s === RESPONSE_STATUS.failure ? 'failure' : s === RESPONSE_STATUS.partial ? 'partial' : undefined;
  if (status === undefined) throw new XdsParseError('Sender', `statut de RegistryResponse inconnu : ${s}`);
  const errors = kids(kid(response, 'RegistryErrorList'), 'RegistryError').map((e) => ({
    code: attr(e, 'errorCode') ?? '',
    context: attr(e, 'codeContext') ?? text(e),
    severity: (attr(e, 'severity') ?? 'Error').replace(SEVERITY_PREFIX, ''),
  }));
  return { status, errors };
}

// ---------------------------------------------------------------------------------------------
// The receiver's side (the sandbox DMP).

export interface ReceivedDocumentMeta {
  entryUuid: string;
  uniqueId: string;
  patientId: string;
  sourcePatientId: string;
  hashSha1: string;
  /** null when the size slot is missing or not a whole number. */
  size: number | null;
  mimeType: string;
  languageCode: string;
  creationTime: string;
  serviceStartTime: string;
  title: string;
  typeCode: string;
  classCode: string;
  formatCode: string;
  confidentialityCode: string;
  healthcareFacilityTypeCode: string;
  practiceSettingCode: string;
  /** The codingScheme slot of each coded value above, by the same name. */
  codingSchemes: Record<'typeCode' | 'classCode' | 'formatCode' | 'confidentialityCode' | 'healthcareFacilityTypeCode' | 'practiceSettingCode', string>;
  author: { person: string; institution: string; role: string; specialty: string } | null;
  referenceIds: string[];
  submissionSet: SubmissionSetMeta;
}

export interface SubmissionSetMeta {
  uniqueId: string;
  sourceId: string;
  patientId: string;
  submissionTime: string;
  contentTypeCode: string;
}

/** What the WS-Security header carried: whether an assertion was there, and the patient it names. */
export interface ReceivedAssertion {
  present: boolean;
  signed: boolean;
  resourceId: string | null;
  psId: string | null;
}

export type ReceivedSubmission =
  | { kind: 'submit'; meta: ReceivedDocumentMeta; document: Buffer; assertion: ReceivedAssertion }
  | { kind: 'deprecate'; entryUuid: string; patientId: string; originalStatus: string; newStatus: string; assertion: ReceivedAssertion };

const slotValues = (node: XNode | undefined, name: string): string[] =>
  kids(kid(kids(node, 'Slot').find((s) => attr(s, 'name') === name), 'ValueList'), 'Value').map(text);
const slotValue = (node: XNode | undefined, name: string): string => slotValues(node, name)[0] ?? '';
const nameOf = (node: XNode | undefined): string => attr(kid(kid(node, 'Name'), 'LocalizedString'), 'value') ?? '';
const externalValue = (node: XNode | undefined, scheme: string): string => attr(kids(node, 'ExternalIdentifier').find((e) => attr(e, 'identificationScheme') === scheme), 'value') ?? '';

function readAssertion(envelope: XNode): ReceivedAssertion {
  const assertion = kid(kid(kid(envelope, 'Header'), 'Security'), 'Assertion');
  if (!assertion) return { present: false, signed: false, resourceId: null, psId: null };
  const attributes = kids(kid(assertion, 'AttributeStatement'), 'Attribute');
  const value = (name: string) => {
    const a = attributes.find((x) => attr(x, 'Name') === name);
    return a ? text(kid(a, 'AttributeValue')) : null;
  };
  const nameId = kid(kid(assertion, 'Subject'), 'NameID');
  return { present: true, signed: kid(assertion, 'Signature') !== undefined, resourceId: value('urn:oasis:names:tc:xacml:2.0:resource:resource-id'), psId: nameId ? text(nameId) : null };
}

function submissionSetOf(list: XNode): SubmissionSetMeta {
  const packages = kids(list, 'RegistryPackage');
  const flagged = new Set(kids(list, 'Classification').filter((c) => attr(c, 'classificationNode') === UUID.submissionSet).map((c) => attr(c, 'classifiedObject')));
  const pkg = packages.find((p) => flagged.has(attr(p, 'id')) || kids(p, 'Classification').some((c) => attr(c, 'classificationNode') === UUID.submissionSet));
  if (!pkg) throw new XdsParseError('XDSRegistryMetadataError', 'lot de soumission (SubmissionSet) absent');
  const contentType = kids(pkg, 'Classification').find((c) => attr(c, 'classificationScheme') === UUID.ssContentTypeCode);
  return {
    uniqueId: externalValue(pkg, UUID.ssUniqueId),
    sourceId: externalValue(pkg, UUID.ssSourceId),
    patientId: externalValue(pkg, UUID.ssPatientId),
    submissionTime: slotValue(pkg, 'submissionTime'),
    contentTypeCode: attr(contentType, 'nodeRepresentation') ?? '',
  };
}

/** An ITI-41 or ITI-57 request, as the DMP receives it. Throws XdsParseError(code, message) on malformed input. */
export function parseSubmission(contentType: string, body: Buffer): ReceivedSubmission {
  const { envelope, attachments } = readSoap(contentType, body);
  const assertion = readAssertion(envelope);
  const soapBody = kid(envelope, 'Body');
  const request = kid(soapBody, 'ProvideAndRegisterDocumentSetRequest');
  if (!request) {
    const update = kid(kid(soapBody, 'SubmitObjectsRequest'), 'RegistryObjectList');
    if (!update) throw new XdsParseError('Sender', 'ni ProvideAndRegisterDocumentSetRequest ni SubmitObjectsRequest');
    const ss = submissionSetOf(update);
    const change = kids(update, 'Association').find((a) => attr(a, 'associationType') === 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus');
    if (!change) throw new XdsParseError('XDSMetadataUpdateOperationError', 'aucune association UpdateAvailabilityStatus');
    return {
      kind: 'deprecate',
      entryUuid: attr(change, 'targetObject') ?? '',
      patientId: ss.patientId,
      originalStatus: slotValue(change, 'OriginalStatus'),
      newStatus: slotValue(change, 'NewStatus'),
      assertion,
    };
  }
  const list = kid(kid(request, 'SubmitObjectsRequest'), 'RegistryObjectList');
  if (!list) throw new XdsParseError('Sender', 'SubmitObjectsRequest absent');
  const entries = kids(list, 'ExtrinsicObject');
  const documents = kids(request, 'Document');
  if (entries.length === 0) throw new XdsParseError(documents.length > 0 ? 'XDSMissingDocumentMetadata' : 'XDSRegistryMetadataError', 'aucune fiche de document (ExtrinsicObject)');
  if (entries.length > 1) throw new XdsParseError('XDSRegistryMetadataError', 'une seule fiche de document par soumission est acceptée');
  const eo = entries[0]!;
  const id = attr(eo, 'id') ?? '';
  const documentNode = documents.find((d) => attr(d, 'id') === id);
  if (!documentNode) throw new XdsParseError('XDSMissingDocument', `pas de document pour la fiche ${id}`);
  let document: Buffer;
  const include = kid(documentNode, 'Include');
  if (include) {
    const href = attr(include, 'href') ?? '';
    if (!href.startsWith('cid:')) throw new XdsParseError('XDSMissingDocument', `xop:Include sans cid : ${href}`);
    let cid: string;
    try {
      cid = decodeURIComponent(href.slice(4));
    } catch {
      throw new XdsParseError('XDSMissingDocument', `cid illisible : ${href}`);
    }
    const part = attachments.get(cid);
    if (!part) throw new XdsParseError('XDSMissingDocument', `partie MIME ${cid} introuvable`);
    document = part;
  } else {
    // Without MTOM the document is inline, base64.
    document = Buffer.from(text(documentNode).replace(/\s+/g, ''), 'base64');
  }
  const coded = (scheme: string) => kids(eo, 'Classification').find((c) => attr(c, 'classificationScheme') === scheme);
  const code = (scheme: string) => attr(coded(scheme), 'nodeRepresentation') ?? '';
  const codingScheme = (scheme: string) => slotValue(coded(scheme), 'codingScheme');
  const author = coded(UUID.deAuthor);
  const size = slotValue(eo, 'size');
  return {
    kind: 'submit',
    meta: {
      entryUuid: id,
      uniqueId: externalValue(eo, UUID.deUniqueId),
      patientId: externalValue(eo, UUID.dePatientId),
      sourcePatientId: slotValue(eo, 'sourcePatientId'),
      hashSha1: slotValue(eo, 'hash'),
      size: /^\d{1,15}$/.test(size) ? Number(size) : null,
      mimeType: attr(eo, 'mimeType') ?? '',
      languageCode: slotValue(eo, 'languageCode'),
      creationTime: slotValue(eo, 'creationTime'),
      serviceStartTime: slotValue(eo, 'serviceStartTime'),
      title: nameOf(eo),
      typeCode: code(UUID.deTypeCode),
      classCode: code(UUID.deClassCode),
      formatCode: code(UUID.deFormatCode),
      confidentialityCode: code(UUID.deConfidentialityCode),
      healthcareFacilityTypeCode: code(UUID.deHealthcareFacilityTypeCode),
      practiceSettingCode: code(UUID.dePracticeSettingCode),
      codingSchemes: {
        typeCode: codingScheme(UUID.deTypeCode),
        classCode: codingScheme(UUID.deClassCode),
        formatCode: codingScheme(UUID.deFormatCode),
        confidentialityCode: codingScheme(UUID.deConfidentialityCode),
        healthcareFacilityTypeCode: codingScheme(UUID.deHealthcareFacilityTypeCode),
        practiceSettingCode: codingScheme(UUID.dePracticeSettingCode),
      },
      author: author
        ? { person: slotValue(author, 'authorPerson'), institution: slotValue(author, 'authorInstitution'), role: slotValue(author, 'authorRole'), specialty: slotValue(author, 'authorSpecialty') }
        : null,
      referenceIds: slotValues(eo, 'urn:ihe:iti:xds:2013:referenceIdList'),
      submissionSet: submissionSetOf(list),
    },
    document,
    assertion,
  };
}

/** A RegistryResponse envelope (SOAP 1.2), with its error list when there is one. */
export function registryResponseXml(r: RegistryResponse, action?: string, relatesTo?: string): Buffer {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const env = doc.ele(NS.soap, 'soap:Envelope');
  if (action !== undefined || relatesTo !== undefined) {
    const header = env.ele(NS.soap, 'soap:Header');
    if (action !== undefined) header.ele(NS.wsa, 'wsa:Action', { 'soap:mustUnderstand': 'true' }).txt(action);
    if (relatesTo !== undefined) header.ele(NS.wsa, 'wsa:RelatesTo').txt(relatesTo);
  }
  const response = env.ele(NS.soap, 'soap:Body').ele(NS.rs, 'rs:RegistryResponse', { status: RESPONSE_STATUS[r.status] });
  if (r.errors.length > 0) {
    const severities = r.errors.map((e) => e.severity);
    const list = response.ele(NS.rs, 'rs:RegistryErrorList', { highestSeverity: `${SEVERITY_PREFIX}${severities.includes('Error') ? 'Error' : (severities[0] ?? 'Error')}` });
    for (const e of r.errors) list.ele(NS.rs, 'rs:RegistryError', { errorCode: e.code, codeContext: e.context, severity: `${SEVERITY_PREFIX}${e.severity}`, location: '' });
  }
  return Buffer.from(doc.end({ prettyPrint: false }), 'utf8');
}

/** A SOAP 1.2 fault envelope: Sender (the request is wrong) or Receiver (the server failed). */
export function soapFaultXml(code: 'Sender' | 'Receiver', reason: string): Buffer {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const fault = doc.ele(NS.soap, 'soap:Envelope').ele(NS.soap, 'soap:Body').ele(NS.soap, 'soap:Fault');
  fault.ele(NS.soap, 'soap:Code').ele(NS.soap, 'soap:Value').txt(`soap:${code}`);
  fault.ele(NS.soap, 'soap:Reason').ele(NS.soap, 'soap:Text', { 'xml:lang': 'fr' }).txt(reason);
  return Buffer.from(doc.end({ prettyPrint: false }), 'utf8');
}
