/**
 * What the one search box means. "helene lef" is two name prefixes, "12/03/1980" a date of birth,
 * "2 80 03" the start of a NIR; a name and a date can be combined ("martin 12/03/1980"). Eight digits
 * that make a date ("15071985") are a date of birth typed without separators; a NIR started with
 * the same eight digits is found by typing a ninth.
 */
import { parseDate } from '../../shared/domain/dates';
import { normalizeNir } from '../../shared/domain/nir';
import { foldName } from '../../shared/domain/patient-search-text';

export type SearchQuery =
  | { kind: 'none' }
  | { kind: 'nir'; prefix: string; birthDate: string | null }
  | { kind: 'words'; words: string[]; birthDate: string | null };

/** More words than this add nothing but cost. */
export const MAX_WORDS = 6;

const FULL_DATE = /^(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2})$/;
const COMPACT_DATE = /^\d{8}$/;
/** A date still being typed ("12/03/19"): nothing to show yet, rather than noise. */
const PARTIAL_DATE = /^\d{1,2}[/.](?:\d{0,2}(?:[/.]\d{0,3})?)?$/;

/** Eight digits as a date of birth, when they make one from 1890 on. */
function compactDate(piece: string): string | null {
  if (!COMPACT_DATE.test(piece)) return null;
  const iso = parseDate(piece);
  return iso !== null && iso >= '1890-01-01' ? iso : null;
}

export function parseQuery(raw: string): SearchQuery {
  let birthDate: string | null = null;
  const rest: string[] = [];
  for (const piece of raw.trim().split(/\s+/)) {
    if (piece === '') continue;
    const compact = compactDate(piece);
    if (compact !== null) {
      if (birthDate !== null && birthDate !== compact) return { kind: 'none' };
      birthDate = compact;
    } else if (FULL_DATE.test(piece)) {
      const iso = parseDate(piece);
      if (iso === null || (birthDate !== null && birthDate !== iso)) return { kind: 'none' };
      birthDate = iso;
    } else if (PARTIAL_DATE.test(piece)) {
      return { kind: 'none' };
    } else {
      rest.push(piece);
    }
  }
  const joined = normalizeNir(rest.join(''));
  if (rest.length > 0 && /^\d[0-9AB]*$/.test(joined) && rest.every((p) => /^[0-9ab]+$/i.test(p))) {
    return { kind: 'nir', prefix: joined, birthDate };
  }
  const words = [...new Set(foldName(rest.join(' ')).split(' '))].filter((w) => w !== '').slice(0, MAX_WORDS);
  if (words.length === 0 && birthDate === null) return { kind: 'none' };
  return { kind: 'words', words, birthDate };
}
