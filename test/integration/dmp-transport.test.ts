/**
 * The XDS.b transport to the DMP against the sandbox DMP on 127.0.0.1: ITI-41 over SOAP 1.2 +
 * MTOM with the real HTTP transport, stored once whatever is resent, each injected fault seen as
 * transient, a lost reply after commit healed by a retry, bad metadata refused, ITI-57 deprecating.
 * And the messages themselves: the MTOM package parses back to the same metadata and bytes, the
 * envelope carries the WS-Addressing headers, the VIHF assertion and the codes of DOMAIN.md §5.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeprecate,
  buildProvideAndRegister,
  deprecateDocument,
  httpTransport,
  parseRegistryResponse,
  parseSubmission,
  registryResponseXml,
  soapFaultXml,
  submitDocument,
  unsignedSandboxAssertion,
  XdsParseError,
  type DmpTransport,
  type DocumentEntryMeta,
  type VihfAssertion,
} from '../../electron/dmp/api';
import { startSandboxDmp, type SandboxDmp, type SandboxOptions } from '../../electron/sandbox/dmp';
import { tempDir } from '../support/tmp';

const tmp = tempDir('ordo-dmp-');
afterAll(() => tmp.remove());

const ins = { nir: '180036912300154', oid: '1.2.250.1.213.1.4.8' };
const patientId = '180036912300154^^^&1.2.250.1.213.1.4.8&ISO';
const author = { rpps: '10003154589', lastName: 'Martin', firstName: 'Claire', specialty: 'Médecine générale' };
let assertion: VihfAssertion;
let seq = 0;

function cdaOf(text: string): Buffer {
  // Stands in for the CDA: well-formed XML, with bytes an MTOM framing must carry intact.
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>${text} é ü — \r\n--boundary</title></ClinicalDocument>\n`, 'utf8');
}

function metaOf(cda: Buffer, uniqueId = `1.2.250.1.999.${++seq}`): DocumentEntryMeta {
  return {
    uniqueId,
    patientIns: ins,
    hashSha1: createHash('sha1').update(cda).digest('hex'),
    size: cda.length,
    creationTime: new Date('2026-03-02T09:15:00Z'),
    serviceStartTime: new Date('2026-03-02T09:15:00Z'),
    title: 'Prescription de médicaments',
    author,
    facilityType: 'SA08',
    rxId: `RX-${seq}`,
  };
}

beforeAll(async () => {
  assertion = await unsignedSandboxAssertion({ prescriber: author, patientIns: ins, software: { name: 'Ordo', version: '0.1.0', approval: null }, now: new Date() });
});

describe('the XDS.b messages', () => {
  it('round-trips an ITI-41 MTOM package: metadata, codes and the document bytes', () => {
    const cda = cdaOf('aller-retour');
    const meta = metaOf(cda);
    const m = buildProvideAndRegister(meta, cda, assertion, 'urn:uuid:6f1b8a4e-2c1d-4e5f-9a8b-7c6d5e4f3a2b');
    expect(m.soapAction).toBe('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b');
    expect(m.contentType).toMatch(/^multipart\/related;/);
    expect(m.contentType).toContain('type="application/xop+xml"');
    expect(m.contentType).toContain('start-info="application/soap+xml"');
    expect(m.contentType).toMatch(/start="<[^>]+>"/);
    expect(m.body.includes(cda)).toBe(true);

    const parsed = parseSubmission(m.contentType, m.body);
    if (parsed.kind !== 'submit') throw new Error('expected a submission');
    expect(parsed.document.equals(cda)).toBe(true);
    expect(parsed.assertion).toMatchObject({ present: true, signed: false, resourceId: patientId, psId: '810003154589' });
    expect(parsed.meta).toMatchObject({
      uniqueId: meta.uniqueId,
      patientId,
      sourcePatientId: patientId,
      hashSha1: meta.hashSha1,
      size: cda.length,
      mimeType: 'text/xml',
      languageCode: 'fr-FR',
      creationTime: '20260302091500',
      serviceStartTime: '20260302091500',
      title: 'Prescription de médicaments',
      typeCode: '57833-6',
      classCode: '42',
      formatCode: 'urn:ihe:pharm:pre:2010',
      confidentialityCode: 'N',
      healthcareFacilityTypeCode: 'SA08',
      practiceSettingCode: 'AMBULATOIRE',
      codingSchemes: {
        typeCode: '2.16.840.1.113883.6.1',
        classCode: '1.2.250.1.213.1.1.4.1',
        confidentialityCode: '2.16.840.1.113883.5.25',
        healthcareFacilityTypeCode: '1.2.250.1.71.4.2.4',
        practiceSettingCode: '1.2.250.1.213.1.1.4.9',
      },
      submissionSet: { patientId, contentTypeCode: '57833-6' },
    });
    expect(parsed.meta.author?.person).toMatch(/^810003154589\^Martin\^Claire\^.*\^&1\.2\.250\.1\.71\.4\.2\.1&ISO\^/);
    expect(parsed.meta.author?.institution).toBeTruthy();
    expect(parsed.meta.author?.role).toBeTruthy();
    expect(parsed.meta.author?.specialty).toBeTruthy();
    expect(parsed.meta.submissionSet.uniqueId).toMatch(/^2\.25\.\d+$/);
    expect(parsed.meta.submissionSet.submissionTime).toMatch(/^\d{14}$/);
  });

  it('carries any bytes intact through the MTOM framing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom('', '\r\n', '\r\n--', '--MIMEBoundary_'), (bytes, prefix) => {
        const cda = Buffer.concat([Buffer.from(prefix), bytes, Buffer.from(prefix)]);
        const m = buildProvideAndRegister(metaOf(cda), cda, assertion, 'urn:uuid:6f1b8a4e-2c1d-4e5f-9a8b-7c6d5e4f3a2d');
        const parsed = parseSubmission(m.contentType, m.body);
        return parsed.kind === 'submit' && parsed.document.equals(cda);
      }),
      { numRuns: 200 },
    );
  });

  it('puts the WS-Addressing headers, the VIHF assertion and the XOP include in the envelope', () => {
    const cda = cdaOf('enveloppe');
    const m = buildProvideAndRegister(metaOf(cda), cda, assertion, 'urn:uuid:6f1b8a4e-2c1d-4e5f-9a8b-7c6d5e4f3a2c', 'https://dmp.example/si-dmp-server/v2/services');
    const root = m.body.toString('utf8');
    const envelope = root.slice(root.indexOf('<?xml'), root.indexOf('</soap:Envelope>') + 16);
    expect(envelope).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
    expect(envelope).toMatch(/<wsa:Action[^>]*>urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b<\/wsa:Action>/);
    expect(envelope).toContain('<wsa:MessageID>urn:uuid:6f1b8a4e-2c1d-4e5f-9a8b-7c6d5e4f3a2c</wsa:MessageID>');
    expect(envelope).toMatch(/<wsa:To[^>]*>https:\/\/dmp\.example\/si-dmp-server\/v2\/services<\/wsa:To>/);
    // The assertion byte for byte inside wsse:Security (a signed one must survive).
    const security = envelope.slice(envelope.indexOf('<wsse:Security'), envelope.indexOf('</wsse:Security>'));
    expect(security).toContain(assertion.xml);
    for (const attribute of ['Identifiant_Structure', 'Secteur_Activite', 'urn:oasis:names:tc:xacml:2.0:subject:role', 'urn:oasis:names:tc:xacml:2.0:resource:resource-id', 'LPS_Nom', 'LPS_Version', 'LPS_ID_HOMOLOGATION_DMP', 'Mode_Acces_Raison']) {
      expect(assertion.xml).toContain(`Name="${attribute}"`);
    }
    expect(assertion.xml).toContain('>810003154589</saml2:NameID>');
    expect(assertion.xml).toContain('180036912300154^^^&amp;1.2.250.1.213.1.4.8&amp;ISO');
    for (const code of ['nodeRepresentation="57833-6"', 'nodeRepresentation="42"', 'nodeRepresentation="urn:ihe:pharm:pre:2010"', 'nodeRepresentation="N"', 'nodeRepresentation="SA08"', 'nodeRepresentation="AMBULATOIRE"', 'mimeType="text/xml"']) {
      expect(envelope).toContain(code);
    }
    expect(envelope).toMatch(/<xop:Include [^>]*href="cid:[^"]+"/);
    expect(envelope).not.toContain('ClinicalDocument');
  });

  it('builds ITI-57 and reads back a deprecation of the same entry', () => {
    const cda = cdaOf('iti57');
    const meta = metaOf(cda);
    const submitted = parseSubmission(...(Object.values(buildProvideAndRegister(meta, cda, assertion, 'urn:uuid:1')).slice(0, 2) as [string, Buffer]));
    const d = buildDeprecate({ uniqueId: meta.uniqueId, patientIns: ins, rxId: meta.rxId }, assertion, 'urn:uuid:2');
    expect(d.soapAction).toBe('urn:ihe:iti:2010:UpdateDocumentSet');
    const parsed = parseSubmission(d.contentType, d.body);
    expect(parsed).toMatchObject({ kind: 'deprecate', patientId, newStatus: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated' });
    expect(parsed.kind === 'deprecate' && submitted.kind === 'submit' && parsed.entryUuid === submitted.meta.entryUuid).toBe(true);
  });

  it('parses a RegistryResponse, plain or MTOM, and refuses what is neither', () => {
    const failure = { status: 'failure' as const, errors: [{ code: 'XDSRegistryBusy', context: 'a < b & "c"', severity: 'Error' }] };
    expect(parseRegistryResponse('application/soap+xml; charset=utf-8', registryResponseXml(failure))).toEqual(failure);
    expect(parseRegistryResponse('application/soap+xml', registryResponseXml({ status: 'success', errors: [] }))).toEqual({ status: 'success', errors: [] });
    expect(() => parseRegistryResponse('text/html', Buffer.from('<html></html>'))).toThrow(XdsParseError);
    expect(() => parseRegistryResponse('application/soap+xml', Buffer.from('<soap:Envelope'))).toThrow(XdsParseError);
    expect(() => parseRegistryResponse('application/soap+xml', soapFaultXml('Receiver', 'x'))).toThrow(XdsParseError);
    expect(() => parseRegistryResponse('multipart/related; boundary="b"; start="<r>"', Buffer.from('--b\r\nContent-ID: <r>\r\n\r\n<x/>'))).toThrow(XdsParseError);
  });

  it('refuses malformed submissions with an XdsParseError', () => {
    const cda = cdaOf('mal formé');
    const m = buildProvideAndRegister(metaOf(cda), cda, assertion, 'urn:uuid:3');
    expect(() => parseSubmission('application/json', m.body)).toThrow(XdsParseError);
    expect(() => parseSubmission(m.contentType, m.body.subarray(0, m.body.length - 40))).toThrow(XdsParseError);
    expect(() => parseSubmission(m.contentType.replace(/start="<[^>]+>"/, 'start="<nope>"'), m.body)).toThrow(XdsParseError);
    const noDocument = Buffer.from(m.body.toString('latin1').replace(/href="cid:[^"]+"/, 'href="cid:missing@x"'), 'latin1');
    const missing = (() => {
      try {
        parseSubmission(m.contentType, noDocument);
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(XdsParseError);
    expect((missing as XdsParseError).code).toBe('XDSMissingDocument');
    expect(() => parseSubmission('application/soap+xml', Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><x/>'))).toThrow(XdsParseError);
  });
});

describe('the transport against the sandbox DMP', () => {
  let n = 0;
  let dmp: SandboxDmp | undefined;
  let transport: DmpTransport | undefined;
  afterEach(async () => {
    transport?.close?.();
    transport = undefined;
    await dmp?.close();
    dmp = undefined;
  });
  async function start(options: Partial<SandboxOptions> = {}): Promise<{ dmp: SandboxDmp; transport: DmpTransport; endpoint: { url: string; timeoutMs: number } }> {
    dmp = await startSandboxDmp({ port: 0, dataDir: join(tmp.dir, `dmp${n++}`), ...options });
    transport = httpTransport();
    return { dmp, transport, endpoint: { url: dmp.url, timeoutMs: 5000 } };
  }
  interface Stored {
    uniqueId: string;
    patientId: string;
    hash: string;
    size: number;
    status: string;
    receivedAt: string;
  }
  const documents = async (d: SandboxDmp) => (await (await fetch(`${d.origin}/documents`)).json()) as Stored[];

  it('stores a document once, serves its bytes, and refuses another document under the same id', async () => {
    const { dmp, transport, endpoint } = await start();
    const cda = cdaOf('premier');
    const meta = metaOf(cda);
    expect(await submitDocument(transport, endpoint, meta, cda, assertion)).toEqual({ type: 'stored' });
    const listed = await documents(dmp);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ uniqueId: meta.uniqueId, patientId, hash: meta.hashSha1, size: cda.length, status: 'Approved' });
    const served = await fetch(`${dmp.origin}/documents/${encodeURIComponent(meta.uniqueId)}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(Buffer.from(await served.arrayBuffer()).equals(cda)).toBe(true);
    expect((await fetch(`${dmp.origin}/documents/1.2.3.404`)).status).toBe(404);

    // The same document again: stored, still once.
    expect(await submitDocument(transport, endpoint, meta, cda, assertion)).toEqual({ type: 'stored' });
    expect(await documents(dmp)).toHaveLength(1);

    // Other bytes under the same uniqueId: refused for good.
    const other = cdaOf('autre');
    const outcome = await submitDocument(transport, endpoint, { ...metaOf(other, meta.uniqueId) }, other, assertion);
    expect(outcome).toMatchObject({ type: 'refused', code: 'XDSDuplicateUniqueIdInRegistry' });
    expect(outcome.type === 'refused' && outcome.reason).toContain('XDSDuplicateUniqueIdInRegistry');
    expect(await documents(dmp)).toHaveLength(1);
    expect((await (await fetch(`${dmp.origin}/health`)).json()) as unknown).toMatchObject({ ok: true });
  });

  for (const fault of ['http500', 'soapFault', 'timeout', 'reset'] as const) {
    it(`sees an injected ${fault} as transient, and nothing stored`, async () => {
      const { dmp, transport } = await start({ failRate: 1, faults: [fault], timeoutHoldMs: 2000 });
      const cda = cdaOf(fault);
      const outcome = await submitDocument(transport, { url: dmp.url, timeoutMs: 300 }, metaOf(cda), cda, assertion);
      expect(outcome.type).toBe('transient');
      expect(outcome.type === 'transient' && outcome.reason.length).toBeGreaterThan(10);
      expect(await documents(dmp)).toHaveLength(0);
    });
  }

  it('sees a held request destroyed before the client gives up as a reset, transient', async () => {
    const { dmp, transport } = await start({ failRate: 1, faults: ['timeout'], timeoutHoldMs: 150 });
    const cda = cdaOf('coupé');
    const started = Date.now();
    const outcome = await submitDocument(transport, { url: dmp.url, timeoutMs: 5000 }, metaOf(cda), cda, assertion);
    expect(outcome).toMatchObject({ type: 'transient', reason: expect.stringMatching(/coupée/) as unknown });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('sees a reply lost after commit as transient; the retry is stored, once', async () => {
    const { dmp, transport, endpoint } = await start({ dropAfterCommit: 1 });
    const cda = cdaOf('perdu');
    const meta = metaOf(cda);
    expect((await submitDocument(transport, endpoint, meta, cda, assertion)).type).toBe('transient');
    expect(await documents(dmp)).toMatchObject([{ uniqueId: meta.uniqueId, hash: meta.hashSha1 }]);
    // Through the control endpoint, as a test in another process would.
    const control = await fetch(`${dmp.origin}/control`, { method: 'POST', body: JSON.stringify({ dropAfterCommit: 0 }) });
    expect(control.status).toBe(200);
    expect(await submitDocument(transport, endpoint, meta, cda, assertion)).toEqual({ type: 'stored' });
    expect(await documents(dmp)).toHaveLength(1);
    expect((await fetch(`${dmp.origin}/control`, { method: 'POST', body: '{"failRate": 3}' })).status).toBe(400);
  });

  it('refuses bad metadata: a wrong hash, a wrong size, another patient', async () => {
    const { dmp, transport, endpoint } = await start();
    const cda = cdaOf('métadonnées');
    const wrongHash = await submitDocument(transport, endpoint, { ...metaOf(cda), hashSha1: 'a'.repeat(40) }, cda, assertion);
    expect(wrongHash).toMatchObject({ type: 'refused', code: 'XDSRepositoryMetadataError' });
    expect(wrongHash.type === 'refused' && wrongHash.reason).toMatch(/^Le DMP a refusé le document \(XDSRepositoryMetadataError\)/);
    expect(await submitDocument(transport, endpoint, { ...metaOf(cda), size: cda.length + 1 }, cda, assertion)).toMatchObject({ type: 'refused', code: 'XDSRepositoryMetadataError' });
    const otherPatient = { nir: '279035121518989', oid: ins.oid };
    expect(await submitDocument(transport, endpoint, { ...metaOf(cda), patientIns: otherPatient }, cda, assertion)).toMatchObject({ type: 'refused', code: 'XDSPatientIdDoesNotMatch' });
    expect(await documents(dmp)).toHaveLength(0);
    // Not SOAP at all: a SOAP Sender fault, refused.
    const junk = await transport({ url: dmp.url, headers: { 'content-type': 'application/soap+xml' }, body: Buffer.from('pas du XML'), timeoutMs: 2000 });
    expect(junk.status).toBe(400);
  });

  it('deprecates a stored document (ITI-57); an unknown one is refused', async () => {
    const { dmp, transport, endpoint } = await start();
    const cda = cdaOf('annulée');
    const meta = metaOf(cda);
    expect(await submitDocument(transport, endpoint, meta, cda, assertion)).toEqual({ type: 'stored' });
    const target = { uniqueId: meta.uniqueId, patientIns: ins, rxId: meta.rxId };
    expect(await deprecateDocument(transport, endpoint, target, assertion)).toEqual({ type: 'stored' });
    expect(await documents(dmp)).toMatchObject([{ uniqueId: meta.uniqueId, status: 'Deprecated' }]);
    // A retry (the reply lost) is harmless.
    expect(await deprecateDocument(transport, endpoint, target, assertion)).toEqual({ type: 'stored' });
    expect(await deprecateDocument(transport, endpoint, { ...target, uniqueId: '1.2.250.1.999.404' }, assertion)).toMatchObject({ type: 'refused', code: 'UnresolvedReferenceException' });
  });

  it('gives a French transient reason when nothing listens, and refuses plain http:// off this computer', async () => {
    const { dmp } = await start();
    const url = dmp.url;
    await dmp.close();
    const t = httpTransport();
    try {
      const cda = cdaOf('personne');
      const refused = await submitDocument(t, { url, timeoutMs: 2000 }, metaOf(cda), cda, assertion);
      expect(refused).toMatchObject({ type: 'transient', reason: expect.stringMatching(/refuse la connexion/) as unknown });
      await expect(t({ url: 'http://dmp.example/dmp', headers: {}, body: Buffer.alloc(0), timeoutMs: 1000 })).rejects.toThrow(/https:\/\//);
    } finally {
      t.close?.();
    }
  });
});
