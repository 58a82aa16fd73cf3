/**
 * The DMP document (CDA R2, eP-MED-DM 2024.01) of a signed prescription, checked by the official
 * ANS validator (../shared/conformance/ans-cda/validate-cda: the ANS-extended CDA schema and the
 * five ANS schematrons): the five demonstration prescriptions, signed in a temporary data folder,
 * and randomised prescriptions (every posology shape, durations, renewals, flags, ALD, the three
 * non-substitution reasons, free lines, children with a weight, long labels, accents and XML's
 * special characters), all validated in one run. Without java, Saxon-HE or xmllint the validation
 * is skipped with the reason, except on CI (process.env.CI), where it fails.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type OrdoApp } from '../../electron/app';
import { fixedClock } from '../../electron/clock';
import type { DemoPrescription } from '../../electron/demo/seed';
import { buildPrescriptionCda, cdaUniqueId, type CdaDocument, type CdaInput } from '../../electron/dmp/cda';
import { passphraseKeyProvider } from '../../electron/keys/signing-key';
import { pdfFonts } from '../../electron/pdf/fonts';
import { renderPrescriptionPdf, type PrintablePrescription } from '../../electron/pdf/prescription-pdf';
import { readSignature } from '../../electron/prescriptions/repository';
import { CONTENT_FORMAT, type SignedContent } from '../../electron/signing/content';
import { renderLine } from '../../shared/domain/posology-render';
import {
  doseUnits,
  moments as allMoments,
  nonSubstitutionReasons,
  type DoseUnit,
  type FrozenDrug,
  type Line,
  type Moment,
  type Posology,
} from '../../shared/domain/prescription';
import { ansCdaValidator } from '../support/paths';
import { tempDir } from '../support/tmp';

const VALIDATOR = ansCdaValidator;
const RANDOM_COUNT = 48;

const tmp = tempDir('ordo-cda-');
const dataDir = join(tmp.dir, 'data');
const outDir = join(tmp.dir, 'cda');
let app: OrdoApp;
let seeded: DemoPrescription[];
const demo: { name: string; input: CdaInput; doc: CdaDocument }[] = [];

// ---- NIRs (DOMAIN §3): 13 characters and a key, 97 − (number mod 97), 2A → 19, 2B → 18 ----

function nirKey(first13: string): string {
  const n = BigInt(first13.replace('2A', '19').replace('2B', '18'));
  return String(97n - (n % 97n)).padStart(2, '0');
}
function makeNir(sex: '1' | '2', birthDate: string, dept: string, commune: string, order: number): { nir: string; birthPlace: string } {
  const first13 = `${sex}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${dept}${commune}${String(order).padStart(3, '0')}`;
  return { nir: `${first13}${nirKey(first13)}`, birthPlace: `${dept}${commune}` };
}

const INS_NIR = '1.2.250.1.213.1.4.8';
const INS_TEST = '1.2.250.1.213.1.4.10';

function patientIds(content: SignedContent, dept: string, commune: string, order: number, oid: string): CdaInput['patient'] {
  const { nir, birthPlace } = makeNir(content.patient.sex === 'M' ? '1' : '2', content.patient.birthDate, dept, commune, order);
  return { ins: { nir, oid }, birthPlaceCode: birthPlace };
}

async function inputOf(rx: PrintablePrescription, patient: CdaInput['patient'], facilityType: CdaInput['facilityType']): Promise<CdaInput> {
  const pdf = await renderPrescriptionPdf(rx, pdfFonts());
  return { rx, patient, pdf, facilityType, software: { name: 'Ordo', version: '0.1.0' } };
}

// ---- Random prescriptions (a seeded generator: the same documents at every run) ----

function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Rand = ReturnType<typeof generator>;

const WORDS = ['paracétamol', 'amoxicilline', 'lévothyroxine', 'métformine', 'ibuprofène', 'oméprazole', 'crème « hydratante »', 'Bas de contention classe 2', 'Œdème & douleur', 'l’acide <salicylique>', 'x > y', 'Ça ira', 'ÉLÉONORE', 'naïve', 'Zoë', 'déjà-vu', 'mg/ml', '5 %', 'lyophilisat', '«\u00a0sans sucre\u00a0»', 'façon', 'Müller', 'Ångström', '«', '»', '’', '&amp;', '"guillemets"', "l'apostrophe"];
const FIRST_NAMES = ['Hélène', 'Jean-Pierre', 'Zoë', 'Chloé', 'Éloïse', 'Léo', 'Anaïs', 'Maël', 'Noémie', 'François'];
const LAST_NAMES = ['Garnier', 'Lefèvre', 'N’Diaye', 'D’Artagnan', 'Müller', 'Le Gall', 'Saint-Exupéry', 'Ølsen', 'O’Connor', 'Dupont & Fils'];
const FORMS = ['comprimé', 'gélule', 'solution buvable', 'crème', 'collyre en solution', 'suppositoire', 'poudre pour suspension buvable en sachet-dose'];
const ROUTES = ['orale', 'cutanée', 'sublinguale', 'ophtalmique', 'rectale', 'nasale', 'inhalée', 'sous-cutanée', 'intramusculaire', 'vaginale', 'voie inconnue'];
const DEPTS: [string, string][] = [['75', '056'], ['69', '123'], ['2A', '004'], ['2B', '033'], ['13', '055'], ['97', '411'], ['51', '215']];

function words(r: Rand, min: number, max: number): string {
  return Array.from({ length: r.int(min, max) }, () => r.pick(WORDS)).join(' ');
}
function uuid(r: Rand): string {
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
function digits(r: Rand, n: number): string {
  return Array.from({ length: n }, () => String(r.int(0, 9))).join('');
}
const RX_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function rxId(r: Rand): string {
  return Array.from({ length: 18 }, () => r.pick(Array.from(RX_ALPHABET))).join('');
}

function randomPosology(r: Rand): Posology {
  const kind = r.pick(['perDay', 'perWeek', 'everyHours'] as const);
  const frequency = kind === 'perDay' ? { kind, times: r.int(1, 24) } : kind === 'perWeek' ? { kind, times: r.int(1, 7) } : { kind, hours: r.int(1, 72) };
  const unit: DoseUnit = r.pick(doseUnits);
  const momentCount = kind === 'perDay' ? Math.min(frequency.kind === 'perDay' ? frequency.times : 0, r.int(0, 4)) : 0;
  const moments: Moment[] = allMoments.slice(0, momentCount);
  const asNeeded = r.chance(0.3);
  return {
    dose: r.pick([0.25, 0.5, 0.75, 0.333, 1, 1.5, 2, 3, 10, 12.5, 250, 1000]),
    unit,
    frequency,
    moments,
    asNeeded,
    maxPer24h: asNeeded && r.chance(0.7) ? r.pick([1, 3, 4, 6, 8, 3000]) : null,
    route: r.chance(0.5) ? r.pick(ROUTES) : null,
  };
}

function randomDrug(r: Rand, cis: string): FrozenDrug {
  const dci = `${words(r, 1, r.chance(0.2) ? 25 : 3)} ${r.int(1, 1000)} mg`;
  const form = r.pick(FORMS);
  const cip13 = r.chance(0.6) ? `3400${digits(r, 9)}` : null;
  const drug: FrozenDrug & { atc?: string; atcLabel?: string; cip13s?: string[] } = {
    cis,
    cip13,
    packLabel: cip13 === null ? null : `${dci}, ${form}, boîte de ${r.int(1, 90)} « unités » & plus`,
    dciLabel: `${dci}, ${form}`,
    brand: `${words(r, 1, 4).toUpperCase()} DÉMOGEN ${r.int(1, 500)} mg, ${form}`,
    form,
    routes: r.chance(0.8) ? [r.pick(ROUTES)] : ['orale', 'cutanée'],
    flags: { narcotic: r.chance(0.15), listI: r.chance(0.5), listII: false, hospitalOnly: false, hospitalInitial: false, specialistOnly: false, securePrescription: r.chance(0.1), notMarketed: false, enhancedMonitoring: false },
    substances: [{ code: digits(r, 5), name: words(r, 1, 2).toUpperCase(), dci, strength: `${r.int(1, 1000)} mg`, strengthReference: 'un comprimé', nature: 'SA' }],
    conditions: [],
    prescriptionLimitDays: null,
    referential: { releaseDate: '2026-11-01', importedAt: '2026-12-03T09:41:27.250Z', demo: true },
  };
  if (r.chance(0.4)) {
    drug.atc = r.pick(['N02BE01', 'J01CA04', 'H03AA01', 'A10BA02', 'M01AE01']);
    drug.atcLabel = r.pick(['paracétamol', 'amoxicilline', 'lévothyroxine sodique', 'metformine', 'ibuprofène']);
  }
  if (r.chance(0.2)) drug.cip13s = [`3400${digits(r, 9)}`, `3400${digits(r, 9)}`];
  return drug;
}

function randomLine(r: Rand): { line: Line; drug: FrozenDrug | null; rendered: string } {
  const common = {
    key: uuid(r),
    duration: r.chance(0.85) ? { value: r.pick([1, 2, 3, 5, 7, 10, 14, 28, 30, 90, 366]), unit: r.pick(['days', 'weeks', 'months'] as const) } : null,
    packs: r.chance(0.3) ? r.int(1, 99) : null,
    renewals: r.chance(0.5) ? 0 : r.int(1, 11),
    nonSubstitution: r.chance(0.35) ? r.pick(nonSubstitutionReasons) : null,
    ald: r.chance(0.35),
    flags: { workAccident: r.chance(0.2), prevention: r.chance(0.2), nonReimbursable: r.chance(0.2), offLabel: r.chance(0.2) },
    instructions: r.chance(0.5) ? words(r, 1, r.chance(0.2) ? 40 : 6).slice(0, 500) : '',
  };
  if (common.duration !== null && common.duration.unit === 'months' && common.duration.value > 12) common.duration.value = 12;
  let line: Line;
  let drug: FrozenDrug | null = null;
  if (r.chance(0.25)) {
    line = { kind: 'free', text: words(r, 1, r.chance(0.2) ? 30 : 5).slice(0, 300), posology: r.chance(0.4) ? randomPosology(r) : null, ...common };
  } else {
    const cis = `6${digits(r, 7)}`;
    drug = randomDrug(r, cis);
    line = { kind: 'drug', cis, cip13: drug.cip13 !== null && r.chance(0.7) ? drug.cip13 : null, showBrand: r.chance(0.3), posology: randomPosology(r), ...common };
  }
  return { line, drug, rendered: renderLine(line, drug) };
}

function randomPrescription(r: Rand, n: number): { rx: PrintablePrescription; patient: CdaInput['patient']; facilityType: CdaInput['facilityType'] } {
  const child = r.chance(0.3);
  const year = child ? r.int(2014, 2026) : r.int(1920, 2008);
  const birthDate = `${year}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
  const sex = r.pick(['F', 'M', 'I'] as const);
  const first = Array.from({ length: r.int(1, 3) }, () => r.pick(FIRST_NAMES)).join(' ');
  const signedAt = new Date(Date.UTC(2026, r.int(0, 11), r.int(1, 28), r.int(0, 23), r.int(0, 59), r.int(0, 59))).toISOString();
  const content: SignedContent = {
    format: CONTENT_FORMAT,
    id: rxId(r),
    issuedAt: signedAt,
    prescriber: {
      lastName: r.pick(LAST_NAMES),
      firstName: r.pick(FIRST_NAMES),
      specialty: 'Médecin généraliste',
      rpps: '10003154589',
      amNumber: '751234568',
      practiceName: r.chance(0.2) ? '' : `Cabinet ${r.pick(LAST_NAMES)} & associés « Santé »`,
      address: r.pick(['12 rue des Lilas', '3 bis avenue de l’Europe', 'Lieu-dit « Les Chênes »', '145, boulevard Haussmann\nBâtiment B', 'Place de la Mairie']),
      postalCode: r.pick(['69003', '75008', '20000', '97411']),
      city: r.pick(['Lyon', 'Paris', 'Ajaccio', 'Saint-Pierre', 'L’Haÿ-les-Roses']),
      phone: r.pick(['04 78 00 00 00', '+33 1 23 45 67 89', '01.23.45.67.89', '0612345678']),
      email: r.pick(['cabinet.demo@exemple.fr', 'dr.o-connor+rx@exemple.fr']),
    },
    patient: {
      birthName: r.pick(LAST_NAMES),
      usedName: r.chance(0.3) ? r.pick(LAST_NAMES) : '',
      firstNames: first,
      sex,
      birthDate,
      weight: child || r.chance(0.3) ? { value: r.pick([3.2, 12, 22.5, 38, 72, 104.3]), measuredOn: signedAt.slice(0, 10) } : null,
      dispensingObjection: r.chance(0.2),
      dmpObjection: false,
    },
    lines: Array.from({ length: r.chance(0.1) ? r.int(10, 30) : r.int(1, 4) }, () => randomLine(r)),
    overrides: [],
    renewalOf: r.chance(0.2) ? r.int(1, 100) : null,
  };
  if (r.chance(0.3)) Object.assign(content.patient, { height: { value: r.pick([50, 120, 165.5, 182]), measuredOn: signedAt.slice(0, 10) } });
  const [dept, commune] = r.pick(DEPTS);
  const ids = patientIds(content, dept, commune, n + 1, r.pick([INS_NIR, INS_TEST]));
  return {
    rx: { content, rxId: content.id, signedAt, keyId: 'cle-de-test', qrPayload: `ORDO1:${Array.from({ length: r.int(100, 400) }, () => r.pick(Array.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'))).join('')}` },
    patient: ids,
    facilityType: r.pick(['SA07', 'SA08'] as const),
  };
}

// ---- Reading the documents back (test only) ----

const pdfBase64 = (xml: string) => /<value mediaType="application\/pdf" representation="B64">\s*([A-Za-z0-9+/=\s]+?)\s*<\/value>/.exec(xml)?.[1]?.replace(/\s+/g, '');
const cisCodes = (xml: string) => [...xml.matchAll(/<code code="(\d{8})"[^>]*codeSystem="1\.2\.250\.1\.213\.2\.3\.1"/g)].map((m) => m[1]);

beforeAll(async () => {
  app = createApp({ dataDir, mode: 'host', clock: fixedClock('2026-12-03T09:41:27.250Z'), jobs: { threads: false }, signingKey: passphraseKeyProvider(dataDir, { ORDO_KEY_PASSPHRASE: 'phrase de test' }) });
  seeded = await app.tools.demoSeed();
  for (const [i, s] of seeded.entries()) {
    const sig = readSignature(app.db, s.id)!;
    const rx: PrintablePrescription = { content: JSON.parse(sig.content) as SignedContent, rxId: sig.rxId, signedAt: sig.signedAt, keyId: sig.keyId, qrPayload: sig.qrPayload };
    const [dept, commune] = DEPTS[i % DEPTS.length]!;
    const input = await inputOf(rx, patientIds(rx.content, dept, commune, i + 1, i % 2 === 0 ? INS_TEST : INS_NIR), i % 2 === 0 ? 'SA07' : 'SA08');
    demo.push({ name: `demo-${s.kind}`, input, doc: buildPrescriptionCda(input) });
  }
}, 60_000);
afterAll(() => {
  app.close();
  tmp.remove();
});

describe('the DMP document of a signed prescription', () => {
  it('is deterministic, named by a stable OID of the prescription id, carries the PDF and the CIS codes', () => {
    expect(demo).toHaveLength(5);
    for (const { input, doc } of demo) {
      const again = buildPrescriptionCda(input);
      expect(again.xml.equals(doc.xml)).toBe(true);
      expect(again.sha1).toBe(doc.sha1);
      expect(doc.sha1).toBe(createHash('sha1').update(doc.xml).digest('hex'));
      expect(doc.sha256).toBe(createHash('sha256').update(doc.xml).digest('hex'));
      expect(doc.size).toBe(doc.xml.length);
      expect(doc.uniqueId).toBe(cdaUniqueId(input.rx.rxId));
      const xml = doc.xml.toString('utf8');
      expect(xml).toContain(`<id root="${doc.uniqueId}"/>`);
      expect(xml).toContain(`<setId root="${doc.uniqueId}"/>`);
      expect(xml).toContain(`<id root="1.2.250.1.215.500.1.1" extension="${input.rx.rxId}"/>`);
      expect(xml).toContain(`<id root="${input.patient.ins.oid}" extension="${input.patient.ins.nir}"/>`);
      expect(Buffer.from(pdfBase64(xml) ?? '', 'base64').equals(Buffer.from(input.pdf))).toBe(true);
      expect(cisCodes(xml)).toEqual(input.rx.content.lines.filter((l) => l.line.kind === 'drug').map((l) => (l.line.kind === 'drug' ? l.line.cis : '')));
    }
    const ids = demo.map((d) => d.doc.uniqueId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const uid of ids) expect(uid).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    // The first 128 bits of sha256('ordo-cda:' + rxId), in decimal.
    const rx = demo[0]!.input.rx.rxId;
    expect(cdaUniqueId(rx)).toBe(`2.25.${BigInt(`0x${createHash('sha256').update(`ordo-cda:${rx}`).digest('hex').slice(0, 32)}`).toString()}`);
    expect(cdaUniqueId(rx)).toBe(cdaUniqueId(rx));
    expect(cdaUniqueId('01S2TBPZ2JCNZZYGHZ')).not.toBe(cdaUniqueId('01S2TBPZ2JCNZZYGH0'));
  });

  it('escapes the texts exactly, an « & » that looks like an entity included', () => {
    const base = demo[0]!.input;
    const first = base.rx.content.lines[0]!;
    const text = 'R&D &amp; &AMP; &#65; <b> « l’été » "x"';
    const line: Line = { ...first.line, kind: 'free', text, posology: null, instructions: text };
    const rx = { ...base.rx, content: { ...base.rx.content, lines: [{ line, drug: null, rendered: text }] } };
    const xml = buildPrescriptionCda({ ...base, rx }).xml.toString('utf8');
    expect(xml).toContain('R&amp;D &amp;amp; &amp;AMP; &amp;#65; &lt;b&gt; « l’été » "x"');
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it('passes the ANS validator (schema and schematrons) for the demonstration and randomised prescriptions', async (ctx) => {
    const files: string[] = [];
    mkdirSync(outDir, { recursive: true });
    for (const d of demo) {
      const file = join(outDir, `${d.name}.xml`);
      writeFileSync(file, d.doc.xml);
      files.push(file);
    }
    const r = generator(20261203);
    for (let n = 0; n < RANDOM_COUNT; n++) {
      const { rx, patient, facilityType } = randomPrescription(r, n);
      const input = await inputOf(rx, patient, facilityType);
      const doc = buildPrescriptionCda(input);
      const xml = doc.xml.toString('utf8');
      expect(Buffer.from(pdfBase64(xml) ?? '', 'base64').equals(Buffer.from(input.pdf))).toBe(true);
      expect(cisCodes(xml)).toEqual(rx.content.lines.flatMap((l) => (l.line.kind === 'drug' ? [l.line.cis] : [])));
      const file = join(outDir, `random-${String(n).padStart(3, '0')}.xml`);
      writeFileSync(file, doc.xml);
      files.push(file);
    }

    const unavailable = (why: string) => {
      if (process.env.CI) throw new Error(`The ANS validator cannot run on CI: ${why}`);
      ctx.skip(`ANS validator not run: ${why}`);
    };
    if (!existsSync(VALIDATOR)) return unavailable(`${VALIDATOR} is missing (the shared conformance kit is not beside the project)`);
    const result = spawnSync(VALIDATOR, files, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, JAVA_OPTS: '-XX:+UseParallelGC -Xmx3g -Xss8m' } });
    if (result.error !== undefined) return unavailable(result.error.message);
    if (result.status === 2) return unavailable(`java, Saxon-HE or xmllint is missing: ${result.stderr.trim()}`);
    const passed = result.stdout.split('\n').filter((l) => l.startsWith('PASS '));
    const failures = result.stdout
      .split(/\n(?=PASS |FAIL )/)
      .filter((block) => block.startsWith('FAIL '))
      .join('\n');
    if (failures !== '' || result.status !== 0) console.log(`validate-cda exit ${result.status}\n${failures}\n${result.stderr}`);
    expect(failures).toBe('');
    expect(result.status).toBe(0);
    expect(passed).toHaveLength(files.length);
    expect(files.length).toBeGreaterThanOrEqual(45);
  }, 120_000);
});
