/** What other folders of electron/ may use of the patient register. */
export { rebuildSearchIndex } from './repository';
