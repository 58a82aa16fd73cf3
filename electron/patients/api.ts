/** What other folders of electron/ may use of the patient register. */
export { rebuildSearchIndex, findSameIdentity, readPatient } from './repository';
export { searchKeysOf } from './search-keys';
export { createPatientService } from './service';
