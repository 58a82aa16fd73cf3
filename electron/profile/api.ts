/** What other folders of electron/ may use of the prescriber profile. */
export { readProfile } from './repository';
