/**
 * The frozen copy of a drug line: what the referential said of the drug when the GP chose it.
 * The referential is replaced whole at each import; a prescription keeps this copy for ever.
 */
import type { DrugDetail } from '../../shared/calls/drugs';
import type { FrozenDrug } from '../../shared/domain/prescription';
import { OrdoError } from '../../shared/errors';

export interface ReferentialStamp {
  releaseDate: string | null;
  importedAt: string;
  demo: boolean;
}

/** `lineNumber` (1-based) names the line in the French refusal of a pack of another drug. */
export function freezeDrug(detail: DrugDetail, cip13: string | null, stamp: ReferentialStamp, lineNumber: number): FrozenDrug {
  const pack = cip13 === null ? null : detail.packs.find((p) => p.cip13 === cip13);
  if (pack === undefined) {
    throw new OrdoError('INVALID_INPUT', `Ligne ${lineNumber} : la présentation ${cip13 ?? ''} n’appartient pas à ${detail.name}.`, {
      [`lines.${lineNumber - 1}.cip13`]: 'Cette présentation n’appartient pas à ce médicament.',
    });
  }
  return {
    cis: detail.cis,
    cip13,
    packLabel: pack === null ? null : pack.label,
    dciLabel: detail.dciLabel,
    brand: detail.name,
    form: detail.form,
    routes: [...detail.routes],
    flags: { ...detail.flags },
    substances: detail.composition.map((c) => ({
      code: c.substanceCode,
      name: c.substanceName,
      dci: c.dci,
      strength: c.strength,
      strengthReference: c.strengthReference,
      nature: c.nature,
    })),
    conditions: [...detail.conditions],
    prescriptionLimitDays: detail.prescriptionLimitDays,
    referential: { ...stamp },
  };
}
