/** What other folders of electron/ may use of the prescriptions. */
export type { InteractionRules } from './checks';
export type { Printer } from './print';
