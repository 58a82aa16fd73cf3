import type { Migration } from '../migrate';
import { m0001 } from './0001_profile';

/** In order; append only. */
export const migrations: readonly Migration[] = [m0001];
