import { checkAmNumber, checkCip13, checkRpps, withoutSeparators, type CheckResult } from '../../shared/domain/identifiers';
import { checkNir, normalizeNir } from '../../shared/domain/nir';
import { out, UsageError, type Command } from './common';

/** Identifier kinds `ordo check` knows; each maps a raw value to valid/reason. */
export const checkers: Record<string, (value: string) => CheckResult> = {
  nir: (value) => checkNir(normalizeNir(value)),
  rpps: (value) => checkRpps(withoutSeparators(value)),
  am: (value) => checkAmNumber(withoutSeparators(value)),
  cip13: (value) => checkCip13(withoutSeparators(value)),
};

export const check: Command = {
  usage: `check ${Object.keys(checkers).join('|')} VALEUR...`,
  summary: 'Vérifie des identifiants ; une ligne JSON par valeur {"value", "valid", "reason"}.',
  run(args) {
    const [kind, ...values] = args;
    const checker = kind === undefined ? undefined : checkers[kind];
    if (checker === undefined) {
      throw new UsageError(`Type d’identifiant inconnu : « ${kind ?? ''} ». Types : ${Object.keys(checkers).join(', ')}.`);
    }
    if (values.length === 0) throw new UsageError('Donnez au moins une valeur à vérifier.');
    for (const value of values) {
      const result = checker(value);
      out({ value, valid: result.valid, reason: result.reason ?? null });
    }
    return 0;
  },
};
