/**
 * The one door into the main process. Every call is a name with a zod schema for its input and
 * its output; types are inferred from here and nowhere else. The Electron IPC adapter, the HTTP
 * host and the CLI all validate against these schemas before a service runs.
 *
 * Calls are grouped by domain in shared/calls/; each call's `example` is a valid input: the fuzz
 * test starts from it, so a new call is fuzzed as soon as it is listed here. What the main
 * process pushes without being asked is in shared/events.ts, what each change makes stale in
 * shared/invalidates.ts.
 */
import type { z } from 'zod';
import { appCalls } from './calls/app';
import { backupCalls } from './calls/backup';
import { drugCalls } from './calls/drugs';
import { interactionCalls } from './calls/interactions';
import { jobCalls } from './calls/jobs';
import { keyCalls } from './calls/keys';
import { outboxCalls } from './calls/outbox';
import { patientCalls } from './calls/patients';
import { prescriptionCalls } from './calls/prescriptions';

export const contract = {
  ...appCalls,
  ...drugCalls,
  ...patientCalls,
  ...jobCalls,
  ...interactionCalls,
  ...backupCalls,
  ...prescriptionCalls,
  ...keyCalls,
  ...outboxCalls,
};

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;

export const callNames = Object.keys(contract) as CallName[];

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(contract, value);
}
