import type { Migration } from '../types';
import { m0001 } from './0001_profile';
import { m0002 } from './0002_patients';
import { m0003 } from './0003_settings';
import { m0004 } from './0004_jobs';
import { m0005 } from './0005_settings';
import { m0006 } from './0006_patient_search';
import { m0007 } from './0007_audit_keyed';
import { m0008 } from './0008_patient_search_scripts';
import { m0009 } from './0009_prescriptions';
import { m0010 } from './0010_patient_codes';
import { m0011 } from './0011_signing';
import { m0012 } from './0012_dmp';

/** In order; append only. */
export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012];
