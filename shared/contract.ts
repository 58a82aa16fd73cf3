/**
 * The one door into the main process. Every call is a name with a zod schema for its input and
 * its output; types are inferred from here and nowhere else. The Electron IPC adapter, the HTTP
 * host and the CLI all validate against these schemas before a service runs.
 *
 * `example` is a valid input: the fuzz test starts from it, and the docs show it.
 */
import { z } from 'zod';
import { prescriberProfileSchema } from './domain/profile';

const noInput = z.strictObject({});

export const appInfoSchema = z.object({
  version: z.string(),
  schemaVersion: z.number().int(),
  dataDir: z.string(),
  mode: z.enum(['electron', 'host']),
});

export const contract = {
  'app.info': {
    input: noInput,
    output: appInfoSchema,
    example: {},
  },
  'profile.get': {
    input: noInput,
    output: prescriberProfileSchema.nullable(),
    example: {},
  },
  'profile.save': {
    input: prescriberProfileSchema,
    output: prescriberProfileSchema,
    example: {
      lastName: 'Martin',
      firstName: 'Claire',
      specialty: 'Médecin généraliste',
      rpps: '10003154589',
      amNumber: '751234568',
      practiceName: 'Cabinet du Parc',
      address: '12 rue des Lilas',
      postalCode: '69003',
      city: 'Lyon',
      phone: '04 78 00 00 00',
      email: 'claire.martin@exemple.fr',
    },
  },
} as const satisfies Record<string, CallSpec>;

interface CallSpec {
  input: z.ZodType;
  output: z.ZodType;
  example: unknown;
}

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;

export const callNames = Object.keys(contract) as CallName[];

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(contract, value);
}
