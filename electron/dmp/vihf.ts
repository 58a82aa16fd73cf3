/**
 * The VIHF (« Vecteur d'Identification et d'Habilitation Formelles ») of the DMP's indirect
 * authentication: a SAML 2.0 assertion that says who acts (the prescriber, by RPPS, with his
 * profession and specialty), where (the sector and structure), for which patient (the INS as the
 * resource) and through which software (name, version, DMP approval number). It travels in the
 * wsse:Security header of every XDS request (electron/dmp/xds.ts).
 *
 * Only an unsigned assertion is built here, for the sandbox DMP. The real DMP requires the
 * assertion to be signed (XML-DSig, exclusive c14n) with the key of the practitioner's CPS card
 * (or of a structure certificate in indirect mode): that needs the card reader middleware
 * (CryptoLib CPS / PKCS#11) and an ANS-issued test card, neither of which is within reach of this
 * code base. A CPS-signed provider would implement the same `VihfAssertionProvider` type and
 * return `signed: true`; xds.ts inserts the assertion byte for byte so such a signature survives.
 */
import { randomUUID } from 'node:crypto';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

export interface VihfContext {
  prescriber: { rpps: string; lastName: string; firstName: string; specialty: string };
  patientIns: { nir: string; oid: string };
  software: { name: string; version: string; approval: string | null };
  now: Date;
}

/** A saml2:Assertion element (no XML declaration), and whether it carries a signature. */
export interface VihfAssertion {
  xml: string;
  signed: boolean;
}

export type VihfAssertionProvider = (ctx: VihfContext) => Promise<VihfAssertion>;

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XS = 'http://www.w3.org/2001/XMLSchema';
const HL7 = 'urn:hl7-org:v3';

export const VIHF_OID = {
  rpps: '1.2.250.1.71.4.2.1',
  structure: '1.2.250.1.71.4.2.2',
  facilityType: '1.2.250.1.71.4.2.4',
  /** TRE_G15 Profession. */
  profession: '1.2.250.1.71.1.2.7',
  /** TRE_R38 Spécialité ordinale. */
  specialty: '1.2.250.1.71.4.2.5',
} as const;

/** How long the assertion is valid: the DMP refuses one older than a few minutes. */
const VALIDITY_MS = 10 * 60_000;

/** The PS identifier of the RPPS: '8' + the 11 digits. */
export const psIdOf = (rpps: string): string => `8${rpps}`;

/** The INS as an HL7 v2 CX: NIR^^^&OID&ISO. */
export const insCxOf = (ins: { nir: string; oid: string }): string => `${ins.nir}^^^&${ins.oid}&ISO`;

/**
 * The structure of a liberal practice without a FINESS: its RPPS-rang identifier ('4' + RPPS +
 * rank). The real value is read from the CPS card's « situation d'exercice », out of reach here
 * (see the header): the sandbox uses rank 00 of the prescriber's own RPPS.
 */
export const structureIdOf = (rpps: string): string => `4${rpps}00`;

/**
 * The ordinal specialty of the prescriber. Ordo is for general practitioners: SM26 « Qualifié en
 * Médecine Générale », as in the CDA (cda.ts); the free text is not mapped to other specialties.
 */
export function specialtyCodeOf(_specialty: string): { code: string; displayName: string } {
  return { code: 'SM26', displayName: 'Qualifié en Médecine Générale' };
}

function attribute(statement: XMLBuilder, name: string, values: readonly string[]): void {
  const a = statement.ele(SAML, 'saml2:Attribute', { Name: name, NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic' });
  for (const v of values) a.ele(SAML, 'saml2:AttributeValue', { 'xsi:type': 'xs:string' }).txt(v);
}

/** The unsigned VIHF for the sandbox DMP (see the header: the real DMP needs a CPS-signed one). */
export const unsignedSandboxAssertion: VihfAssertionProvider = (ctx) => {
  const { prescriber, patientIns, software, now } = ctx;
  const psId = psIdOf(prescriber.rpps);
  const doc = create();
  const assertion = doc.ele(SAML, 'saml2:Assertion', {
    'xmlns:xsi': XSI,
    'xmlns:xs': XS,
    ID: `_${randomUUID()}`,
    IssueInstant: now.toISOString(),
    Version: '2.0',
  });
  assertion.ele(SAML, 'saml2:Issuer', { Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName' }).txt(`CN=${software.name},O=Ordo (bac à sable)`);
  const subject = assertion.ele(SAML, 'saml2:Subject');
  subject.ele(SAML, 'saml2:NameID', { Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' }).txt(psId);
  subject.ele(SAML, 'saml2:SubjectConfirmation', { Method: 'urn:oasis:names:tc:SAML:2.0:cm:sender-vouches' });
  assertion.ele(SAML, 'saml2:Conditions', { NotBefore: now.toISOString(), NotOnOrAfter: new Date(now.getTime() + VALIDITY_MS).toISOString() });
  assertion
    .ele(SAML, 'saml2:AuthnStatement', { AuthnInstant: now.toISOString() })
    .ele(SAML, 'saml2:AuthnContext')
    .ele(SAML, 'saml2:AuthnContextClassRef')
    .txt('urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient');
  const statement = assertion.ele(SAML, 'saml2:AttributeStatement');
  attribute(statement, 'Identifiant_Structure', [structureIdOf(prescriber.rpps)]);
  attribute(statement, 'Secteur_Activite', [`SA07^${VIHF_OID.facilityType}`]);
  attribute(statement, 'urn:oasis:names:tc:xspa:1.0:subject:subject-id', [`${prescriber.lastName} ${prescriber.firstName}`.trim()]);
  // The role: the profession (10 Médecin) and the ordinal specialty, as HL7 v3 CE values.
  const role = statement.ele(SAML, 'saml2:Attribute', { Name: 'urn:oasis:names:tc:xacml:2.0:subject:role' });
  role.ele(SAML, 'saml2:AttributeValue').ele(HL7, 'Role', { 'xsi:type': 'CE', code: '10', codeSystem: VIHF_OID.profession, displayName: 'Médecin' });
  const specialty = specialtyCodeOf(prescriber.specialty);
  role.ele(SAML, 'saml2:AttributeValue').ele(HL7, 'Role', { 'xsi:type': 'CE', code: specialty.code, codeSystem: VIHF_OID.specialty, displayName: specialty.displayName });
  attribute(statement, 'urn:oasis:names:tc:xacml:2.0:resource:resource-id', [insCxOf(patientIns)]);
  attribute(statement, 'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse', ['normal']);
  attribute(statement, 'Mode_Acces_Raison', ['normal']);
  attribute(statement, 'LPS_Nom', [software.name]);
  attribute(statement, 'LPS_Version', [software.version]);
  // No DMP approval yet: the attribute is present and empty, as the sandbox expects.
  attribute(statement, 'LPS_ID_HOMOLOGATION_DMP', [software.approval ?? '']);
  return Promise.resolve({ xml: assertion.toString({ prettyPrint: false }), signed: false });
};
