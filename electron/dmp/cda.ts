/**
 * The DMP document of a signed prescription (DOMAIN.md §5): a CDA R2 level 3 document of the
 * CI-SIS volet eP-MED-DM 2024.01 (« Prescription de médicaments et/ou de dispositifs médicaux »),
 * modelled on the two ANS examples of ../shared/conformance/ans-cda/ExemplesCDA: the same
 * templateIds, codes and section layout, filled with what was signed.
 *
 * - Header: the patient's INS (NIR and its five traits), the prescriber as author and legal
 *   authenticator (RPPS, « Médecin - Qualifié en Médecine Générale »), the practice as custodian,
 *   the encounter with the facility type (SA07/SA08), the prescription id in
 *   documentationOf/serviceEvent/id, the bizone and « ordonnance sécurisée » mentions.
 * - Body: the 2D code (the signed QR payload as a PNG, and in clear), the prescribed drugs (one
 *   FR-Traitement-prescrit per line, free lines included), the weight (and height) when the
 *   signed patient has them, the PDF copy.
 *
 * Pure and deterministic: the bytes depend only on the input (times are the signing instant in
 * Europe/Paris local time, entry ids are derived from the prescription id), so the same signed
 * prescription always gives the same document, hash and size. Built with xmlbuilder2, which
 * escapes every text and attribute.
 */
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { renderDuration, renderPosology } from '../../shared/domain/posology-render';
import type { DoseUnit, Duration, FrozenDrug, Line, NonSubstitutionReason, Posology } from '../../shared/domain/prescription';
import type { PrintablePrescription } from '../pdf/prescription-pdf';
import type { SignedContent } from '../signing/content';

export interface CdaInput {
  rx: PrintablePrescription;
  patient: { ins: { nir: string; oid: string }; birthPlaceCode: string };
  pdf: Uint8Array;
  facilityType: 'SA07' | 'SA08';
  software: { name: string; version: string };
}

export interface CdaDocument {
  xml: Buffer;
  uniqueId: string;
  sha1: string;
  sha256: string;
  size: number;
}

const HL7 = 'urn:hl7-org:v3';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const PHARM = 'urn:ihe:pharm:medication';
const XMLNS = 'http://www.w3.org/2000/xmlns/';

const OID = {
  loinc: '2.16.840.1.113883.6.1',
  rpps: '1.2.250.1.71.4.2.1',
  structure: '1.2.250.1.71.4.2.2',
  facilityType: '1.2.250.1.71.4.2.4',
  profession: '1.2.250.1.213.1.1.4.5',
  practiceSetting: '1.2.250.1.213.1.1.4.9',
  taAsip: '1.2.250.1.213.1.1.4.322',
  cis: '1.2.250.1.213.2.3.1',
  cip: '1.2.250.1.213.2.3.2',
  atc: '2.16.840.1.113883.6.73',
  edqm: '0.4.0.127.0.16.1.1.2.1',
  prescriptionId: '1.2.250.1.215.500.1.1',
  actCode: '2.16.840.1.113883.5.4',
  substitution: '2.16.840.1.113883.5.1070',
  gender: '2.16.840.1.113883.5.1',
  confidentiality: '2.16.840.1.113883.5.25',
  iheActCode: '1.3.6.1.4.1.19376.1.5.3.2',
} as const;

const GP = { code: 'G15_10/SM26', displayName: 'Médecin - Qualifié en Médecine Générale (SM)', codeSystem: OID.profession };
const FACILITY_NAMES: Record<CdaInput['facilityType'], string> = { SA07: 'Cabinet individuel', SA08: 'Cabinet de groupe' };
const GENDERS: Record<SignedContent['patient']['sex'], { code: string; displayName: string }> = {
  F: { code: 'F', displayName: 'Féminin' },
  M: { code: 'M', displayName: 'Masculin' },
  I: { code: 'UN', displayName: 'Inconnu' },
};
const NON_SUBSTITUTION_TEXT: Record<NonSubstitutionReason, string> = {
  MTE: 'Non substituable (MTE : marge thérapeutique étroite)',
  EFG: 'Non substituable (EFG : enfant de moins de 6 ans, forme adaptée)',
  CIF: 'Non substituable (CIF : contre-indication formelle à un excipient)',
};

/** The dose units as UCUM units or annotations (the examples write « {tablet} »). */
const UCUM: Record<DoseUnit, string> = {
  comprimé: '{tablet}',
  gélule: '{capsule}',
  capsule: '{capsule}',
  sachet: '{sachet}',
  ml: 'mL',
  mg: 'mg',
  g: 'g',
  goutte: '[drp]',
  bouffée: '{puff}',
  pulvérisation: '{spray}',
  application: '{application}',
  UI: '[iU]',
  suppositoire: '{suppository}',
  ovule: '{pessary}',
  patch: '{patch}',
  ampoule: '{ampoule}',
  flacon: '{vial}',
  dose: '{dose}',
  'cuillère-mesure': '{scoop}',
  pipette: '{pipette}',
  stylo: '{pen}',
  injection: '{injection}',
  unité: '{unit}',
};

/** BDPM route labels → EDQM Standard Terms routes of administration (the ones a GP writes most). */
const EDQM_ROUTES: Record<string, { code: string; displayName: string }> = {
  orale: { code: '20053000', displayName: 'Voie orale' },
  cutanée: { code: '20003000', displayName: 'Voie cutanée' },
  sublinguale: { code: '20067000', displayName: 'Voie sublinguale' },
  intraveineuse: { code: '20045000', displayName: 'Voie intraveineuse' },
  intramusculaire: { code: '20035000', displayName: 'Voie intramusculaire' },
  'sous-cutanée': { code: '20066000', displayName: 'Voie sous-cutanée' },
  transdermique: { code: '20070000', displayName: 'Voie transdermique' },
  nasale: { code: '20049000', displayName: 'Voie nasale' },
  rectale: { code: '20061000', displayName: 'Voie rectale' },
  vaginale: { code: '20072000', displayName: 'Voie vaginale' },
  inhalée: { code: '20020000', displayName: 'Voie inhalée' },
  auriculaire: { code: '20001000', displayName: 'Voie auriculaire' },
  ophtalmique: { code: '20051000', displayName: 'Voie ophtalmique' },
};

/** A FrozenDrug as a later referential may freeze it: several packs, an ATC class. */
type DrugCodes = FrozenDrug & { cip13s?: string[] | null; atc?: string | null; atcLabel?: string | null };
/** The signed patient, with a height when a later content format carries one. */
type SignedPatient = SignedContent['patient'] & { height?: { value: number; measuredOn: string } | null };

/** The document's OID: '2.25.' + the first 128 bits of sha256('ordo-cda:' + rxId), in decimal. */
export function cdaUniqueId(rxId: string): string {
  const digest = createHash('sha256').update(`ordo-cda:${rxId}`, 'utf8').digest();
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString('hex')}`).toString(10)}`;
}

/** A stable UUID for one part of the document (an entry, a section). */
function partId(rxId: string, part: string): string {
  const h = createHash('sha256').update(`ordo-cda:${rxId}:${part}`, 'utf8').digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Drops what XML 1.0 cannot carry (C0 controls but tab and newlines, lone surrogates, U+FFFE/F). */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

// ---- Times: the examples' form, local time of Europe/Paris with its offset ----

interface LocalTime {
  y: number;
  m: number;
  d: number;
  hh: number;
  mm: number;
  ss: number;
  offsetMinutes: number;
}

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function paris(instant: Date): LocalTime {
  const parts = Object.fromEntries(parisParts.formatToParts(instant).map((p) => [p.type, p.value]));
  const t = { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), hh: Number(parts.hour), mm: Number(parts.minute), ss: Number(parts.second) };
  const asUtc = Date.UTC(t.y, t.m - 1, t.d, t.hh, t.mm, t.ss);
  const offsetMinutes = Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
  return { ...t, offsetMinutes };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayString = (t: { y: number; m: number; d: number }) => `${pad(t.y, 4)}${pad(t.m)}${pad(t.d)}`;

function tsOf(t: LocalTime): string {
  const sign = t.offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(t.offsetMinutes);
  return `${dayString(t)}${pad(t.hh)}${pad(t.mm)}${pad(t.ss)}${sign}${pad(Math.floor(off / 60))}${pad(off % 60)}`;
}

/** A civil day (UTC-based arithmetic, no time zone involved). */
interface Day {
  y: number;
  m: number;
  d: number;
}
function addDays(day: Day, n: number): Day {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
function addMonths(day: Day, n: number): Day {
  const first = new Date(Date.UTC(day.y, day.m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return { y: first.getUTCFullYear(), m: first.getUTCMonth() + 1, d: Math.min(day.d, last) };
}
/** The first day after `times` courses of `duration` from `start`. */
function after(start: Day, duration: Duration, times = 1): Day {
  if (duration.unit === 'days') return addDays(start, duration.value * times);
  if (duration.unit === 'weeks') return addDays(start, duration.value * 7 * times);
  return addMonths(start, duration.value * times);
}
const dayCompare = (a: Day, b: Day) => dayString(a).localeCompare(dayString(b));
/** The end of a day (23:59:59 local time, with that day's offset). */
function endOfDay(day: Day): string {
  const guess = new Date(Date.UTC(day.y, day.m - 1, day.d, 23, 59, 59) - 60 * 60 * 1000);
  const offset = paris(guess).offsetMinutes;
  return tsOf({ ...day, hh: 23, mm: 59, ss: 59, offsetMinutes: offset });
}
const frDay = (day: Day) => `${pad(day.d)}/${pad(day.m)}/${pad(day.y, 4)}`;
const isoToDay = (iso: string): Day => ({ y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)), d: Number(iso.slice(8, 10)) });
const decimal = (n: number) => String(Number(n.toFixed(4)));

// ---- XML helpers ----

/**
 * xmlbuilder2 (4.0.3) leaves an « & » that looks like an entity reference (« &amp; », « &AMP; »)
 * as it is, to avoid double encoding: a label typed « R&D &amp; co » would come out as a broken or
 * different text. Where the writer does that (probed once), every « & » is given to it already
 * escaped, which it then keeps: the document carries exactly the text given.
 */
const AMPERSAND_KEPT = create().ele('p').txt('&amp;').up().end({ headless: true }) === '<p>&amp;</p>';
function safe(text: string): string {
  const cleaned = clean(text);
  return AMPERSAND_KEPT ? cleaned.replaceAll('&', '&amp;') : cleaned;
}
function safeAttrs(attrs: Attrs | undefined): Attrs | undefined {
  return attrs === undefined ? undefined : Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, safe(v)]));
}

type Attrs = Record<string, string>;
function el(parent: XMLBuilder, name: string, attrs?: Attrs, text?: string): XMLBuilder {
  const node = parent.ele(HL7, name, safeAttrs(attrs));
  if (text !== undefined) node.txt(safe(text));
  return node;
}
function pharm(parent: XMLBuilder, name: string, attrs?: Attrs, text?: string): XMLBuilder {
  const node = parent.ele(PHARM, `pharm:${name}`, safeAttrs(attrs));
  if (text !== undefined) node.txt(safe(text));
  return node;
}
function xsiType(node: XMLBuilder, type: string): XMLBuilder {
  return node.att(XSI, 'xsi:type', type);
}
function templateIds(parent: XMLBuilder, ...roots: string[]): void {
  for (const root of roots) el(parent, 'templateId', { root });
}
function reference(parent: XMLBuilder, id: string): void {
  el(el(parent, 'text'), 'reference', { value: `#${id}` });
}
/** One `<content ID>` in a narrative cell. */
function content(parent: XMLBuilder, id: string, text: string): void {
  el(parent, 'content', { ID: id }, text);
}

// ---- The document ----

export function buildPrescriptionCda(input: CdaInput): CdaDocument {
  const { rx } = input;
  const c = rx.content;
  const uniqueId = cdaUniqueId(rx.rxId);
  const signed = paris(new Date(rx.signedAt));
  const signedTs = tsOf(signed);
  const startDay: Day = { y: signed.y, m: signed.m, d: signed.d };
  const id = (part: string) => partId(rx.rxId, part);

  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  doc.com(` ${clean(input.software.name)} ${clean(input.software.version)} - eP-MED-DM 2024.01 `.replaceAll('--', '- -'));
  const root = doc.ele(HL7, 'ClinicalDocument');
  root.att(XMLNS, 'xmlns:xsi', XSI);
  root.att(XMLNS, 'xmlns:pharm', PHARM);

  el(root, 'realmCode', { code: 'FR' });
  el(root, 'typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' });
  templateIds(root, '2.16.840.1.113883.2.8.2.1', '1.2.250.1.213.1.1.1.1', '1.3.6.1.4.1.19376.1.9.1.1.1', '1.3.6.1.4.1.19376.1.5.3.1.1.1');
  el(root, 'templateId', { root: '1.2.250.1.213.1.1.1.39', extension: '2024.01' });
  el(root, 'id', { root: uniqueId });
  el(root, 'code', { code: '57833-6', displayName: 'Prescription de produits de santé', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  el(root, 'title', {}, 'Prescription de médicaments');
  el(root, 'effectiveTime', { value: signedTs });
  el(root, 'confidentialityCode', { code: 'N', displayName: 'Normal', codeSystem: OID.confidentiality });
  el(root, 'languageCode', { code: 'fr-FR' });
  el(root, 'setId', { root: uniqueId });
  el(root, 'versionNumber', { value: '1' });

  recordTarget(root, c.patient, input.patient);

  const author = el(root, 'author', { typeCode: 'AUT', contextControlCode: 'OP' });
  el(author, 'time', { value: signedTs });
  const assignedAuthor = el(author, 'assignedAuthor', { classCode: 'ASSIGNED' });
  prescriberParts(assignedAuthor, c.prescriber, 'assignedPerson');
  practice(el(assignedAuthor, 'representedOrganization'), c.prescriber, false);

  const custodian = el(el(root, 'custodian'), 'assignedCustodian');
  practice(el(custodian, 'representedCustodianOrganization'), c.prescriber, false);

  const legal = el(root, 'legalAuthenticator');
  el(legal, 'time', { value: signedTs });
  el(legal, 'signatureCode', { code: 'S' });
  const legalEntity = el(legal, 'assignedEntity');
  prescriberParts(legalEntity, c.prescriber, 'assignedPerson');
  practice(el(legalEntity, 'representedOrganization'), c.prescriber, true);

  // The prescription and its validity: first delivery within 3 months, the longest course with its renewals.
  let validUntil = addDays(addMonths(startDay, 3), -1);
  for (const { line } of c.lines) {
    if (line.duration === null) continue;
    const last = addDays(after(startDay, line.duration, line.renewals + 1), -1);
    if (dayCompare(last, validUntil) > 0) validUntil = last;
  }
  const serviceEvent = el(el(root, 'documentationOf'), 'serviceEvent', { classCode: 'ACT' });
  el(serviceEvent, 'id', { root: OID.prescriptionId, extension: rx.rxId });
  el(serviceEvent, 'code', { code: '57833-6', displayName: 'Prescription de produits de santé', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  const validity = el(serviceEvent, 'effectiveTime');
  el(validity, 'low', { value: signedTs });
  el(validity, 'high', { value: endOfDay(validUntil) });
  const performer = el(el(serviceEvent, 'performer', { typeCode: 'PRF' }), 'assignedEntity');
  prescriberParts(performer, c.prescriber, 'assignedPerson');
  practice(el(performer, 'representedOrganization'), c.prescriber, true);

  if (c.lines.some((l) => l.line.ald)) infoEvent(root, 'MED-1096', 'Prescription bizone');
  if (c.lines.some((l) => l.drug !== null && (l.drug.flags.narcotic || l.drug.flags.securePrescription))) infoEvent(root, 'MED-1098', 'Ordonnance sécurisée');

  const encounter = el(el(root, 'componentOf'), 'encompassingEncounter');
  el(encounter, 'code', { code: 'AMB', displayName: 'Ambulatoire (hors établissement)', codeSystem: OID.actCode });
  el(el(encounter, 'effectiveTime'), 'high', { value: signedTs });
  const facility = el(el(encounter, 'location'), 'healthCareFacility');
  el(facility, 'id', practiceId(c.prescriber));
  el(facility, 'code', { code: input.facilityType, displayName: FACILITY_NAMES[input.facilityType], codeSystem: OID.facilityType });

  const body = el(el(root, 'component'), 'structuredBody');
  barcodeSection(body, rx, id);
  drugsSection(body, c, { id, signedTs, startDay });
  vitalSignsSection(body, c.patient, id);
  pdfSection(body, input.pdf, id);

  const xml = Buffer.from(doc.end({ prettyPrint: true, indent: '  ', newline: '\n' }), 'utf8');
  return {
    xml,
    uniqueId,
    sha1: createHash('sha1').update(xml).digest('hex'),
    sha256: createHash('sha256').update(xml).digest('hex'),
    size: xml.length,
  };
}

function recordTarget(root: XMLBuilder, patient: SignedPatient, ids: CdaInput['patient']): void {
  const role = el(el(root, 'recordTarget'), 'patientRole');
  el(role, 'id', { root: ids.ins.oid, extension: ids.ins.nir });
  // The signed content has no address nor telephone: the header requires both, unknown here.
  el(role, 'addr', { nullFlavor: 'UNK' });
  el(role, 'telecom', { nullFlavor: 'UNK' });
  const person = el(role, 'patient', { classCode: 'PSN' });
  const name = el(person, 'name');
  const firstNames = patient.firstNames.trim().split(/\s+/);
  el(name, 'family', { qualifier: 'BR' }, patient.birthName);
  el(name, 'given', {}, patient.firstNames.trim());
  el(name, 'given', { qualifier: 'BR' }, firstNames[0] ?? patient.firstNames);
  if (patient.usedName.trim() !== '') el(name, 'family', { qualifier: 'CL' }, patient.usedName);
  const gender = GENDERS[patient.sex];
  el(person, 'administrativeGenderCode', { code: gender.code, displayName: gender.displayName, codeSystem: OID.gender });
  el(person, 'birthTime', { value: patient.birthDate.replaceAll('-', '') });
  const place = el(el(el(person, 'birthplace'), 'place'), 'addr');
  el(place, 'county', {}, ids.birthPlaceCode);
}

function telecoms(parent: XMLBuilder, p: SignedContent['prescriber']): void {
  el(parent, 'telecom', { value: `tel:${p.phone.replace(/[\s.-]/g, '')}`, use: 'WP' });
  el(parent, 'telecom', { value: `mailto:${p.email}`, use: 'WP' });
}

function address(parent: XMLBuilder, p: SignedContent['prescriber']): void {
  const addr = el(parent, 'addr', { use: 'WP' });
  // The structured parts the CI-SIS address model takes (a number, a street), not a free line.
  const street = p.address.replace(/\s*\n\s*/g, ', ').trim();
  const numbered = /^(\d+\s*(?:bis|ter|quater|[a-z])?)\b[\s,]+(.+)$/i.exec(street);
  if (numbered !== null) el(addr, 'houseNumber', {}, numbered[1]!.trim());
  el(addr, 'streetName', {}, numbered === null ? street : numbered[2]!.trim());
  el(addr, 'postalCode', {}, p.postalCode);
  el(addr, 'city', {}, p.city);
}

/** id, code, addr, telecom and name of the prescriber, in the order of the CDA schema. */
function prescriberParts(entity: XMLBuilder, p: SignedContent['prescriber'], personTag: string): void {
  el(entity, 'id', { root: OID.rpps, extension: `8${p.rpps}` });
  el(entity, 'code', GP);
  address(entity, p);
  telecoms(entity, p);
  const name = el(el(entity, personTag), 'name');
  el(name, 'given', {}, p.firstName);
  el(name, 'family', {}, p.lastName);
  el(name, 'suffix', {}, 'DR');
}

/** The practice: no FINESS for a cabinet libéral, so the national structure id of type 4 (RPPS of the GP). */
function practiceId(p: SignedContent['prescriber']): Attrs {
  return { root: OID.structure, extension: `4${p.rpps}` };
}

function practice(org: XMLBuilder, p: SignedContent['prescriber'], withSetting: boolean): void {
  el(org, 'id', practiceId(p));
  el(org, 'name', {}, p.practiceName.trim() !== '' ? p.practiceName : `Cabinet du Dr ${p.firstName} ${p.lastName}`);
  el(org, 'telecom', { value: `tel:${p.phone.replace(/[\s.-]/g, '')}`, use: 'WP' });
  address(org, p);
  if (withSetting) el(org, 'standardIndustryClassCode', { code: 'AMBULATOIRE', displayName: 'Ambulatoire', codeSystem: OID.practiceSetting, codeSystemName: 'practiceSettingCode' });
}

function infoEvent(root: XMLBuilder, code: string, displayName: string): void {
  el(el(el(root, 'documentationOf'), 'serviceEvent', { classCode: 'INFO' }), 'code', { code, displayName, codeSystem: OID.taAsip, codeSystemName: 'TA_ASIP' });
}

function section(body: XMLBuilder, attrs?: Attrs): XMLBuilder {
  return el(el(body, 'component'), 'section', attrs);
}

/** The signed QR code as a PNG: 4 pixels a module, a 4-module quiet zone, black on white. */
function qrPng(payload: string): Buffer {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  const scale = 4;
  const quiet = 4;
  const width = (size + 2 * quiet) * scale;
  const png = new PNG({ width, height: width, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.alloc(width * width, 0xff);
  for (let r = 0; r < size; r++) {
    for (let col = 0; col < size; col++) {
      if (data[r * size + col] === 0) continue;
      for (let dy = 0; dy < scale; dy++) {
        const y = (r + quiet) * scale + dy;
        png.data.fill(0, y * width + (col + quiet) * scale, y * width + (col + quiet + 1) * scale);
      }
    }
  }
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

function barcodeSection(body: XMLBuilder, rx: PrintablePrescription, id: (part: string) => string): void {
  const s = section(body, { classCode: 'DOCSECT', moodCode: 'EVN' });
  templateIds(s, '1.2.250.1.213.1.1.2.223');
  el(s, 'id', { root: id('section-code-2d') });
  el(s, 'code', { code: '57723-9', displayName: 'Numéro de code à barres unique', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  el(s, 'title', {}, 'Code 2D de la prescription');
  const text = el(s, 'text');
  el(text, 'renderMultiMedia', { referencedObject: 'code-2d' });
  el(text, 'paragraph', {}, `Identifiant de l’ordonnance : ${rx.rxId}`);
  el(text, 'paragraph', {}, `Contenu du code 2D : ${rx.qrPayload}`);
  const media = el(el(s, 'entry'), 'observationMedia', { classCode: 'OBS', moodCode: 'EVN', ID: 'code-2d' });
  templateIds(media, '2.16.840.1.113883.10.12.304', '1.2.250.1.213.1.1.3.103');
  el(media, 'value', { mediaType: 'image/png', representation: 'B64' }, qrPng(rx.qrPayload).toString('base64'));
}

interface LineContext {
  id: (part: string) => string;
  signedTs: string;
  startDay: Day;
}

const yesNo = (v: boolean) => (v ? 'Oui' : 'Non');

interface FlagRow {
  key: string;
  templateId: string;
  code: string;
  displayName: string;
  value: (line: Line) => boolean;
}
const FLAG_ROWS: FlagRow[] = [
  { key: 'ald', templateId: '1.2.250.1.213.1.1.3.48.13', code: 'MED-574', displayName: 'En rapport avec une ALD', value: (l) => l.ald },
  { key: 'atmp', templateId: '1.2.250.1.213.1.1.3.48.14', code: 'GEN-180', displayName: 'En rapport avec un accident du travail ou une maladie professionnelle', value: (l) => l.flags.workAccident },
  { key: 'prev', templateId: '1.2.250.1.213.1.1.3.48.34', code: 'GEN-295', displayName: 'En rapport avec la prévention', value: (l) => l.flags.prevention },
  { key: 'nonremb', templateId: '1.2.250.1.213.1.1.3.48.15', code: 'GEN-181', displayName: 'Non remboursable', value: (l) => l.flags.nonReimbursable },
  { key: 'horsamm', templateId: '1.2.250.1.213.1.1.3.48.12', code: 'GEN-179', displayName: 'Hors Autorisation de Mise sur le Marché (AMM)', value: (l) => l.flags.offLabel },
];

function drugLabel(line: Line, drug: FrozenDrug | null): string {
  if (line.kind === 'free') return line.text;
  if (drug === null) return `Médicament CIS ${line.cis}`;
  return line.showBrand ? `${drug.dciLabel} (${drug.brand})` : drug.dciLabel;
}

function routeOf(posology: Posology | null, drug: FrozenDrug | null): string | null {
  if (posology?.route != null && posology.route.trim() !== '') return posology.route.trim();
  if (drug !== null && drug.routes.length === 1) return drug.routes[0]!;
  return null;
}

function drugsSection(body: XMLBuilder, c: SignedContent, ctx: LineContext): void {
  const s = section(body);
  templateIds(s, '1.3.6.1.4.1.19376.1.9.1.2.1', '1.2.250.1.213.1.1.2.171');
  el(s, 'id', { root: ctx.id('section-medicaments') });
  el(s, 'code', { code: '57828-6', displayName: 'Prescriptions', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  el(s, 'title', {}, 'Prescription de médicaments');
  const text = el(s, 'text');
  c.lines.forEach((l, i) => {
    if (i > 0) el(text, 'br');
    lineNarrative(text, l, `l${i + 1}`, ctx);
  });
  c.lines.forEach((l, i) => lineEntry(el(s, 'entry'), l, `l${i + 1}`, ctx));
}

function lineEnd(line: Line, ctx: LineContext): Day | null {
  return line.duration === null ? null : addDays(after(ctx.startDay, line.duration), -1);
}

function lineNarrative(text: XMLBuilder, l: SignedContent['lines'][number], p: string, ctx: LineContext): void {
  const { line, drug } = l;
  const table = el(text, 'table', { border: '0' });
  const head = el(el(table, 'thead'), 'tr');
  const columns = ['Durée du traitement', 'Médicament', 'Posologie', 'Voie d’administration', 'Quantité', 'Substitution', 'Nombre de renouvellements', 'En rapport avec une ALD', 'En rapport AT/MP', 'En rapport Prévention', 'Non remboursable', 'Hors AMM'];
  for (const col of columns) el(head, 'th', {}, col);
  const tbody = el(table, 'tbody');
  const row = el(tbody, 'tr');
  const end = lineEnd(line, ctx);
  el(row, 'td', {}, end === null ? '-' : `du ${frDay(ctx.startDay)} au ${frDay(end)} (${renderDuration(line.duration!)})`);
  content(el(row, 'td'), p, drugLabel(line, drug));
  const posoCell = el(row, 'td');
  content(posoCell, `${p}-poso`, line.posology === null ? 'Voir le libellé de la ligne' : renderPosology(line.posology));
  const route = routeOf(line.posology, drug);
  const routeCell = el(row, 'td');
  if (route === null) routeCell.txt('-');
  else content(routeCell, `${p}-voie`, `Voie ${route}`);
  el(row, 'td', {}, line.packs === null ? '-' : `${line.packs} ${line.packs === 1 ? 'boîte' : 'boîtes'}`);
  content(el(row, 'td'), `${p}-subst`, line.nonSubstitution === null ? 'Substituable' : NON_SUBSTITUTION_TEXT[line.nonSubstitution]);
  el(row, 'td', {}, String(line.renewals));
  for (const f of FLAG_ROWS) content(el(row, 'td'), `${p}-${f.key}`, yesNo(f.value(line)));
  const wide = (label: string, id: string, value: string) => {
    const tr = el(tbody, 'tr');
    el(tr, 'td', { colspan: '3' }, label);
    content(el(tr, 'td', { colspan: String(columns.length - 3) }), id, value);
  };
  wide('Ligne telle que signée', `${p}-rendu`, l.rendered);
  if (line.posology?.asNeeded) wide('Précondition', `${p}-precondition`, 'Si besoin');
  if (line.instructions.trim() !== '') wide('Instruction au patient', `${p}-instr`, line.instructions);
}

/** The period between intakes, as the examples write it (toutes les 8 h for 3 fois/j). */
function period(posology: Posology): { value: string; unit: string } {
  const f = posology.frequency;
  if (f.kind === 'everyHours') return { value: String(f.hours), unit: 'h' };
  if (f.kind === 'perDay') return { value: decimal(24 / f.times), unit: 'h' };
  return { value: decimal(7 / f.times), unit: 'd' };
}

function lineEntry(entry: XMLBuilder, l: SignedContent['lines'][number], p: string, ctx: LineContext): void {
  const { line } = l;
  const drug: DrugCodes | null = l.drug;
  const posology = line.posology;
  const sa = el(entry, 'substanceAdministration', { classCode: 'SBADM', moodCode: 'INT' });
  templateIds(sa, '2.16.840.1.113883.10.20.1.24', '1.3.6.1.4.1.19376.1.5.3.1.4.7', '1.3.6.1.4.1.19376.1.9.1.3.2', '1.2.250.1.213.1.1.3.83');
  if (posology !== null) templateIds(sa, '1.3.6.1.4.1.19376.1.9.1.3.6');
  templateIds(sa, '1.3.6.1.4.1.19376.1.5.3.1.4.7.1');
  el(sa, 'id', { root: ctx.id(`${p}:${line.key}`) });
  el(sa, 'code', { code: 'DRUG', displayName: 'Médicament', codeSystem: OID.actCode, codeSystemName: 'HL7:ActCode' });
  reference(sa, `${p}-rendu`);
  el(sa, 'statusCode', { code: 'completed' });
  // The course: from the signing to its last day; an unknown end when no duration was written.
  const end = lineEnd(line, ctx);
  const course = xsiType(el(sa, 'effectiveTime'), 'IVL_TS');
  el(course, 'low', { value: ctx.signedTs });
  el(course, 'high', end === null ? { nullFlavor: 'UNK' } : { value: endOfDay(end) });
  if (posology !== null) {
    const freq = xsiType(el(sa, 'effectiveTime', { operator: 'A' }), 'PIVL_TS');
    const per = el(freq, 'period', period(posology));
    el(el(el(per, 'translation'), 'originalText'), 'reference', { value: `#${p}-poso` });
  }
  el(sa, 'repeatNumber', { value: String(line.renewals) });
  if (posology !== null) {
    const route = routeOf(posology, drug);
    if (route !== null) {
      const coded = EDQM_ROUTES[route.toLowerCase()];
      const rc = el(sa, 'routeCode', coded === undefined ? { nullFlavor: 'OTH' } : { code: coded.code, displayName: coded.displayName, codeSystem: OID.edqm, codeSystemName: 'EDQM' });
      el(el(rc, 'originalText'), 'reference', { value: `#${p}-voie` });
    }
    const unit = UCUM[posology.unit];
    const dose = el(sa, 'doseQuantity');
    el(dose, 'low', { value: decimal(posology.dose), unit });
    el(dose, 'high', { value: decimal(posology.dose), unit });
    if (posology.maxPer24h !== null) {
      const max = el(sa, 'maxDoseQuantity');
      el(max, 'numerator', { value: decimal(posology.maxPer24h), unit });
      el(max, 'denominator', { value: '1', unit: 'd' });
    }
  }
  const product = el(el(sa, 'consumable'), 'manufacturedProduct', { classCode: 'MANU' });
  templateIds(product, '2.16.840.1.113883.10.20.1.53', '1.3.6.1.4.1.19376.1.5.3.1.4.7.2', '1.2.250.1.213.1.1.3.43');
  const material = el(product, 'manufacturedMaterial', { classCode: 'MMAT', determinerCode: 'KIND' });
  templateIds(material, '1.3.6.1.4.1.19376.1.9.1.3.1');
  if (line.kind === 'drug') {
    const code = el(material, 'code', { code: line.cis, displayName: drug?.brand ?? drugLabel(line, drug), codeSystem: OID.cis, codeSystemName: 'CIS' });
    el(el(code, 'originalText'), 'reference', { value: `#${p}` });
    const cips = new Set<string>();
    if (line.cip13 !== null) cips.add(line.cip13);
    if (drug?.cip13 != null) cips.add(drug.cip13);
    for (const cip of drug?.cip13s ?? []) cips.add(cip);
    for (const cip of cips) {
      const attrs: Attrs = { code: cip, codeSystem: OID.cip, codeSystemName: 'CIP' };
      if (drug?.packLabel != null && (cip === drug.cip13 || cip === line.cip13)) attrs.displayName = drug.packLabel;
      el(code, 'translation', attrs);
    }
    if (drug?.atc != null && drug.atc !== '') el(code, 'translation', { code: drug.atc, ...(drug.atcLabel ? { displayName: drug.atcLabel } : {}), codeSystem: OID.atc, codeSystemName: 'ATC' });
    el(material, 'name', {}, drug?.brand ?? drugLabel(line, drug));
    if (drug?.atc != null && drug.atc !== '') {
      const generic = pharm(pharm(material, 'asSpecializedKind', { classCode: 'GRIC' }), 'generalizedMedicineClass', { classCode: 'MMAT' });
      pharm(generic, 'code', { code: drug.atc, ...(drug.atcLabel ? { displayName: drug.atcLabel } : {}), codeSystem: OID.atc, codeSystemName: 'ATC' });
      pharm(generic, 'name', {}, drug.atcLabel ?? drug.dciLabel);
    }
  } else {
    const code = el(material, 'code', { nullFlavor: 'NA' });
    el(el(code, 'originalText'), 'reference', { value: `#${p}` });
    el(material, 'name', { nullFlavor: 'NA' });
  }

  if (line.instructions.trim() !== '') {
    const act = el(el(sa, 'entryRelationship', { typeCode: 'SUBJ', inversionInd: 'true' }), 'act', { classCode: 'ACT', moodCode: 'INT' });
    templateIds(act, '2.16.840.1.113883.10.20.1.49', '1.3.6.1.4.1.19376.1.5.3.1.4.3', '1.2.250.1.213.1.1.3.33');
    el(act, 'code', { code: 'PINSTRUCT', codeSystem: OID.iheActCode, codeSystemName: 'IHEActCode' });
    reference(act, `${p}-instr`);
    el(act, 'statusCode', { code: 'completed' });
  }
  if (line.packs !== null) {
    const supply = el(el(sa, 'entryRelationship', { typeCode: 'COMP' }), 'supply', { classCode: 'SPLY', moodCode: 'RQO' });
    templateIds(supply, '1.3.6.1.4.1.19376.1.9.1.3.8', '1.2.250.1.213.1.1.3.86');
    el(supply, 'independentInd', { value: 'false' });
    el(supply, 'quantity', { value: String(line.packs), unit: '30009000' });
  }
  const subst = el(el(sa, 'entryRelationship', { typeCode: 'COMP' }), 'act', { classCode: 'ACT', moodCode: 'DEF' });
  templateIds(subst, '1.3.6.1.4.1.19376.1.9.1.3.9.1', '1.2.250.1.213.1.1.3.87');
  const substCode = el(
    subst,
    'code',
    line.nonSubstitution === null
      ? { code: 'G', displayName: 'Substitution générique permise', codeSystem: OID.substitution, codeSystemName: 'HL7_substanceAdminSubstitution' }
      : { code: 'N', displayName: 'Aucune substitution permise', codeSystem: OID.substitution, codeSystemName: 'HL7_substanceAdminSubstitution' },
  );
  el(el(substCode, 'originalText'), 'reference', { value: `#${p}-subst` });
  el(subst, 'statusCode', { code: 'completed' });

  for (const f of FLAG_ROWS) {
    const obs = el(el(sa, 'entryRelationship', { typeCode: 'COMP' }), 'observation', { classCode: 'OBS', moodCode: 'EVN' });
    templateIds(obs, '1.3.6.1.4.1.19376.1.5.3.1.4.13', '1.2.250.1.213.1.1.3.48', f.templateId);
    el(obs, 'id', { root: ctx.id(`${p}:${line.key}:${f.key}`) });
    el(obs, 'code', { code: f.code, displayName: f.displayName, codeSystem: OID.taAsip, codeSystemName: 'TA_ASIP' });
    reference(obs, `${p}-${f.key}`);
    el(obs, 'statusCode', { code: 'completed' });
    el(obs, 'effectiveTime', { value: ctx.signedTs });
    xsiType(el(obs, 'value', { value: String(f.value(line)) }), 'BL');
  }
  if (posology?.asNeeded) {
    const criterion = el(el(sa, 'precondition'), 'criterion');
    reference(criterion, `${p}-precondition`);
  }
}

function vitalSignsSection(body: XMLBuilder, patient: SignedPatient, id: (part: string) => string): void {
  const signs: { key: string; label: string; code: string; displayName: string; text: string; value: string; unit: string; day: Day }[] = [];
  if (patient.weight != null) {
    signs.push({ key: 'poids', label: 'Poids', code: '29463-7', displayName: 'Poids (mesuré)', text: `${String(patient.weight.value).replace('.', ',')} kg`, value: decimal(patient.weight.value), unit: 'kg', day: isoToDay(patient.weight.measuredOn) });
  }
  if (patient.height != null) {
    signs.push({ key: 'taille', label: 'Taille', code: '8302-2', displayName: 'Taille', text: `${String(patient.height.value).replace('.', ',')} cm`, value: decimal(patient.height.value), unit: 'cm', day: isoToDay(patient.height.measuredOn) });
  }
  if (signs.length === 0) return;
  const s = section(body);
  templateIds(s, '2.16.840.1.113883.10.20.1.16', '1.3.6.1.4.1.19376.1.5.3.1.3.25', '1.3.6.1.4.1.19376.1.5.3.1.1.5.3.2', '1.2.250.1.213.1.1.2.75');
  el(s, 'id', { root: id('section-signes-vitaux') });
  el(s, 'code', { code: '8716-3', displayName: 'Signes vitaux', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  el(s, 'title', {}, 'Signes vitaux');
  const table = el(el(s, 'text'), 'table', { border: '0' });
  const head = el(el(table, 'thead'), 'tr');
  for (const col of ['Date', 'Signe vital', 'Valeur']) el(head, 'th', {}, col);
  const tbody = el(table, 'tbody');
  for (const sign of signs) {
    const tr = el(tbody, 'tr');
    el(tr, 'td', {}, frDay(sign.day));
    el(tr, 'td', {}, sign.label);
    content(el(tr, 'td'), sign.key, sign.text);
  }
  const latest = signs.map((x) => x.day).sort(dayCompare).at(-1)!;
  const organizer = el(el(s, 'entry'), 'organizer', { classCode: 'CLUSTER', moodCode: 'EVN' });
  templateIds(organizer, '2.16.840.1.113883.10.20.1.32', '2.16.840.1.113883.10.20.1.35', '1.3.6.1.4.1.19376.1.5.3.1.4.13.1', '1.2.250.1.213.1.1.3.49');
  el(organizer, 'id', { root: id('signes-vitaux') });
  el(organizer, 'code', { code: '85353-1', displayName: 'Signes vitaux', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  el(organizer, 'statusCode', { code: 'completed' });
  el(organizer, 'effectiveTime', { value: dayString(latest) });
  for (const sign of signs) {
    const obs = el(el(organizer, 'component', { typeCode: 'COMP' }), 'observation', { classCode: 'OBS', moodCode: 'EVN' });
    templateIds(obs, '2.16.840.1.113883.10.20.1.31', '1.3.6.1.4.1.19376.1.5.3.1.4.13', '1.3.6.1.4.1.19376.1.5.3.1.4.13.2', '1.2.250.1.213.1.1.3.50');
    el(obs, 'id', { root: id(`signe-vital-${sign.key}`) });
    el(obs, 'code', { code: sign.code, displayName: sign.displayName, codeSystem: OID.loinc, codeSystemName: 'LOINC' });
    reference(obs, sign.key);
    el(obs, 'statusCode', { code: 'completed' });
    el(obs, 'effectiveTime', { value: dayString(sign.day) });
    xsiType(el(obs, 'value', { value: sign.value, unit: sign.unit }), 'PQ');
  }
}

function pdfSection(body: XMLBuilder, pdf: Uint8Array, id: (part: string) => string): void {
  const s = section(body);
  templateIds(s, '1.2.250.1.213.1.1.2.243');
  el(s, 'id', { root: id('section-pdf') });
  el(s, 'code', { code: '55108-5', displayName: 'Copie du document', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  el(s, 'title', {}, 'Copie du document');
  const table = el(el(s, 'text'), 'table', { border: '0' });
  const tr = el(el(table, 'tbody'), 'tr');
  content(el(tr, 'td'), 'pdf-type', 'Copie PDF de l’ordonnance');
  el(el(tr, 'td'), 'renderMultiMedia', { referencedObject: 'pdf-copie' });
  const organizer = el(el(s, 'entry'), 'organizer', { classCode: 'CLUSTER', moodCode: 'EVN' });
  templateIds(organizer, '1.2.250.1.213.1.1.3.18');
  el(organizer, 'id', { root: id('document-attache') });
  el(organizer, 'code', { code: '55107-7', displayName: 'Document attaché', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  el(organizer, 'statusCode', { code: 'completed' });
  const obs = el(el(organizer, 'component'), 'observation', { classCode: 'OBS', moodCode: 'EVN' });
  templateIds(obs, '1.3.6.1.4.1.19376.1.5.3.1.4.13', '1.2.250.1.213.1.1.3.48', '1.2.250.1.213.1.1.3.48.18');
  el(obs, 'id', { root: id('type-document-attache') });
  el(obs, 'code', { code: '69764-9', displayName: 'Type de document', codeSystem: OID.loinc, codeSystemName: 'LOINC' });
  reference(obs, 'pdf-type');
  el(obs, 'statusCode', { code: 'completed' });
  el(obs, 'effectiveTime', { nullFlavor: 'NA' });
  xsiType(el(obs, 'value', { code: '55108-5', displayName: 'Copie du document', codeSystem: OID.loinc, codeSystemName: 'LOINC' }), 'CD');
  const media = el(el(organizer, 'component'), 'observationMedia', { classCode: 'OBS', moodCode: 'EVN', ID: 'pdf-copie' });
  el(media, 'value', { mediaType: 'application/pdf', representation: 'B64' }, Buffer.from(pdf).toString('base64'));
}
