import { z } from 'zod';
import { prescriberProfileSchema } from '../domain/profile';
import { noInput, type CallSpec } from './spec';

export const appInfoSchema = z.object({
  version: z.string(),
  schemaVersion: z.number().int(),
  dataDir: z.string(),
  mode: z.enum(['electron', 'host']),
});

export const appCalls = {
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
