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

/*
 * The text policy of the contract: what no one types and nothing should store or print. Control
 * characters (C0 with tab, CR and LF, DEL, C1), line and paragraph separators, bidirectional
 * overrides, embeddings, isolates and marks (they reorder what a screen, a terminal or a printed
 * prescription shows), lone surrogates (not text at all) and noncharacters. Multi-line text keeps
 * LF, and only LF.
 */
// eslint-disable-next-line no-control-regex -- these control characters are what the policy refuses
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/u;
// eslint-disable-next-line no-control-regex -- the same, LF aside
const CONTROLS_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;
const FORMATTING = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]|\p{Cs}|\p{Noncharacter_Code_Point}/u;
// eslint-disable-next-line no-control-regex -- every character the policy refuses, to escape or strip them
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]|\p{Cs}|\p{Noncharacter_Code_Point}/gu;

/** Characters that show nothing: a value made only of them (and spaces) is empty. */
export const INVISIBLE = '\\s\\u00ad\\u034f\\u115f\\u1160\\u180e\\u200b-\\u200d\\u2060\\u3164\\ufeff\\uffa0';
// eslint-disable-next-line no-misleading-character-class -- the combining grapheme joiner alone is what the class matches
const EDGES = new RegExp(`^[${INVISIBLE}]+|[${INVISIBLE}]+$`, 'gu');

export type TextKind = 'line' | 'lines';

/** Whether a value holds a character the policy refuses (LF allowed in multi-line text). */
export function hasRefusedCharacter(value: string, kind: TextKind = 'line'): boolean {
  return (kind === 'lines' ? CONTROLS_BUT_LF : CONTROLS).test(value) || FORMATTING.test(value);
}

/** Spaces and invisible characters removed at both ends, NFC: what is stored of an accepted value. */
export function cleanText(value: string): string {
  return value.replace(EDGES, '').normalize('NFC');
}

/** Each refused character as \uXXXX, visible and inert: what a terminal or a log line may print of data. */
export function escapeUnsafe(value: string): string {
  // Per UTF-16 unit, as JSON writes escapes: a character past U+FFFF is two of them.
  return value.replace(UNSAFE, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

/** Each refused character as a space: a search box's words, whatever was pasted in it. */
export function stripUnsafe(value: string): string {
  return value.replace(UNSAFE, ' ');
}
