/** Text helpers shared by validation and search. */

/** Lower case, accents removed, ligatures expanded, punctuation to spaces, spaces collapsed. */
export function normalizeText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
