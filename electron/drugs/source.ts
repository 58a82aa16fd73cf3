/**
 * Where "Mettre à jour la base des médicaments" downloads from: `ORDO_BDPM_BASE_URL` when set
 * (tests, scripts), else the address stored in Réglages, else the ANSM's. Read at each update,
 * so a change in Réglages applies to the next one without restarting.
 */
import type { DrugSource } from '../../shared/calls/drugs';
import { appendAudit } from '../audit/audit';
import { writeTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import { readSetting, removeSetting, writeSetting } from '../settings/repository';
import { bdpmBaseUrl, DEFAULT_BDPM_BASE_URL } from './download';

export const BDPM_BASE_URL_ENV = 'ORDO_BDPM_BASE_URL';
const KEY = 'drugs.bdpmBaseUrl' as const;

export function drugSource(db: Db, env: Readonly<Record<string, string | undefined>>): DrugSource {
  const overridden = (env[BDPM_BASE_URL_ENV] ?? '').trim() !== '';
  const stored = readSetting(db, KEY) ?? null;
  return {
    baseUrl: overridden ? bdpmBaseUrl(env[BDPM_BASE_URL_ENV]) : (stored ?? DEFAULT_BDPM_BASE_URL),
    default: DEFAULT_BDPM_BASE_URL,
    stored,
    overriddenByEnvironment: overridden,
  };
}

/**
 * Stores the address (already checked and normalised by the contract; '' or the official
 * address = no stored address), with its audit entry in the same transaction. Saving the
 * address already in effect writes nothing; returns whether anything changed.
 */
export function saveDrugSource(db: Db, baseUrl: string, now: Date): boolean {
  const next = baseUrl === '' || baseUrl === DEFAULT_BDPM_BASE_URL ? null : baseUrl;
  return writeTransaction(db, () => {
    const previous = readSetting(db, KEY) ?? null;
    if (previous === next) return false;
    if (next === null) removeSetting(db, KEY);
    else writeSetting(db, KEY, next, now);
    appendAudit(
      db,
      { actor: 'prescriber', action: next === null ? 'drugs.source.reset' : 'drugs.source.updated', subject: 'settings:drugs.bdpmBaseUrl', details: { previous, baseUrl: next } },
      now,
    );
    return true;
  });
}
