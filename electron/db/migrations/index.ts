import type { Migration } from '../migrate';
import { m0001 } from './0001_profile';
import { m0002 } from './0002_patients';
import { m0003 } from './0003_settings';

/** In order; append only. */
export const migrations: readonly Migration[] = [m0001, m0002, m0003];
