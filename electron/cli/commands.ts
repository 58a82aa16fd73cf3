import { backup, restore } from './backup';
import { check } from './check';
import type { Command } from './common';
import { demoSeed } from './demo-seed';
import { doctor } from './doctor';
import { draft } from './draft';
import { drugs } from './drugs';
import { importBdpm } from './import-bdpm';
import { importInteractions } from './import-interactions';
import { key } from './key';
import { outbox } from './outbox';
import { patients } from './patients';
import { pdf } from './pdf';
import { sandboxDmp } from './sandbox-dmp';
import { serve } from './serve';
import { verify } from './verify';

/** Every `ordo` command, in the order `ordo --help` lists them. */
export const commands: Record<string, Command> = {
  serve,
  doctor,
  check,
  patients,
  'import-bdpm': importBdpm,
  drugs,
  draft,
  'import-interactions': importInteractions,
  backup,
  restore,
  'demo-seed': demoSeed,
  pdf,
  verify,
  key,
  outbox,
  'sandbox-dmp': sandboxDmp,
};
