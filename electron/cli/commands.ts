import { check } from './check';
import type { Command } from './common';
import { doctor } from './doctor';
import { serve } from './serve';

/** Every `ordo` command, in the order `ordo --help` lists them. */
export const commands: Record<string, Command> = {
  serve,
  doctor,
  check,
};
