/**
 * The parts of a drug referential that come from the BDPM's optional files. Some mirrors publish
 * three of the five files; such a release is imported only on purpose (`--allow-partial`, the
 * confirmation in Réglages), and what it lacks is then said wherever it would otherwise read as
 * « aucune » (Réglages, Prescrire, the drug card, the CLI).
 */

export const referentialParts = ['compositions', 'genericGroups', 'conditions'] as const;
export type ReferentialPart = (typeof referentialParts)[number];

/** Which optional file each part comes from. */
export const fileOfPart: Record<ReferentialPart, string> = {
  compositions: 'CIS_COMPO_bdpm.txt',
  genericGroups: 'CIS_GENER_bdpm.txt',
  conditions: 'CIS_CPD_bdpm.txt',
};

/** French words for each part: its name, and « … absent(e)s » with its agreement. */
export const referentialPartLabels: Record<ReferentialPart, { name: string; absent: string }> = {
  compositions: { name: 'compositions', absent: 'compositions absentes' },
  genericGroups: { name: 'groupes génériques', absent: 'groupes génériques absents' },
  conditions: { name: 'conditions de prescription', absent: 'conditions de prescription absentes' },
};

/** The parts a referential lacks, from the names of the files its release did not have. */
export function missingPartsOf(missingFiles: readonly string[]): ReferentialPart[] {
  return referentialParts.filter((part) => missingFiles.includes(fileOfPart[part]));
}

/** « base partielle : compositions absentes, conditions de prescription absentes » (empty when complete). */
export function partialLine(parts: readonly ReferentialPart[]): string {
  return parts.length === 0 ? '' : `base partielle : ${parts.map((p) => referentialPartLabels[p].absent).join(', ')}`;
}

/** « CIS_COMPO_bdpm.txt (compositions), CIS_CPD_bdpm.txt (conditions de prescription) » */
export function missingFilesLine(parts: readonly ReferentialPart[]): string {
  return parts.map((p) => `${fileOfPart[p]} (${referentialPartLabels[p].name})`).join(', ');
}
