import { backup, restore } from './backup';
import { check } from './check';
import type { Command } from './common';
import { doctor } from './doctor';
import { draft } from './draft';
import { drugs } from './drugs';
import { importBdpm } from './import-bdpm';
import { importInteractions } from './import-interactions';
import { patients } from './patients';
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
  verify,
};
