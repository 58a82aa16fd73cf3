/**
 * What the rest of Ordo uses of the DMP folder (a layered domain: other folders import this file
 * only, `npm run layers`): the CDA document, the VIHF assertion, the XDS.b messages, the HTTP
 * transport and the client that turns an exchange into an outcome for the outbox.
 */
export { buildPrescriptionCda, cdaUniqueId, type CdaDocument, type CdaInput } from './cda';
export { deprecateDocument, submitDocument, type DmpEndpoint, type SendOutcome } from './client';
export { checkEndpoint, DmpEndpointError, DmpNetworkError, httpTransport, type DmpNetworkErrorKind, type DmpReply, type DmpRequest, type DmpTransport } from './transport';
export { insCxOf, psIdOf, unsignedSandboxAssertion, type VihfAssertion, type VihfAssertionProvider, type VihfContext } from './vihf';
export {
  ACTION,
  buildDeprecate,
  buildProvideAndRegister,
  entryUuidOf,
  mtom,
  parseContentType,
  parseRegistryResponse,
  parseSoapFault,
  parseSubmission,
  registryResponseXml,
  soapFaultXml,
  XDS_CODES,
  XdsParseError,
  type DocumentEntryMeta,
  type ReceivedAssertion,
  type ReceivedDocumentMeta,
  type ReceivedSubmission,
  type RegistryResponse,
  type SoapFault,
  type SubmissionSetMeta,
  type XdsMessage,
} from './xds';
