/**
 * The text policy of the contract (shared/domain/text.ts, shared/domain/validation.ts): every
 * text field refuses control, bidi-control and lone-surrogate characters with a French message
 * naming it, counts a value of spaces or zero-width characters as empty, stores NFC, and has a
 * length limit; names are letters of any script and never a spreadsheet formula; a search box
 * strips what it cannot use. Checked field by field, then over every string of every call.
 */
import { describe, expect, it } from 'vitest';
import { contract, callNames } from '../../shared/contract';
import { patientInputSchema } from '../../shared/domain/patient';
import { prescriberProfileSchema } from '../../shared/domain/profile';
import { cleanText, escapeUnsafe, hasRefusedCharacter, stripUnsafe } from '../../shared/domain/text';
import { fieldErrorsOf, nameProblem, optionalText, requiredName, requiredText, TEXT_LIMITS } from '../../shared/domain/validation';
import { leavesOf } from '../support/zod-arbitrary';
import { validProfile } from '../support/fixtures';

const minimal = { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' };

function patientErrors(input: Record<string, unknown>): Record<string, string> {
  const parsed = patientInputSchema.safeParse({ ...minimal, ...input });
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

/** Every character class the policy refuses in a one-line field, each at the start, inside and at the end. */
const REFUSED: Record<string, string> = {
  NUL: '\u0000',
  ESC: '\u001b',
  BEL: '\u0007',
  tab: '\t',
  CR: '\r',
  LF: '\n',
  DEL: '\u007f',
  'C1 (CSI)': '\u009b',
  'line separator': '\u2028',
  'paragraph separator': '\u2029',
  LRE: '\u202a',
  RLE: '\u202b',
  PDF: '\u202c',
  LRO: '\u202d',
  RLO: '\u202e',
  LRI: '\u2066',
  RLI: '\u2067',
  FSI: '\u2068',
  PDI: '\u2069',
  LRM: '\u200e',
  RLM: '\u200f',
  ALM: '\u061c',
  'lone high surrogate': '\ud800',
  'lone low surrogate': '\udc00',
  noncharacter: '\uffff',
};

describe('the characters a text field refuses', () => {
  it.each(Object.entries(REFUSED))('%s, wherever it is, with a French message naming the field', (_name, c) => {
    const city = 'La ville contient un caractère de contrôle ou de mise en forme : retapez le texte.';
    for (const value of [`${c}Lyon`, `Ly${c}on`, `Lyon${c}`]) {
      expect(patientErrors({ city: value }), JSON.stringify(value)).toEqual({ city });
    }
    expect(patientErrors({ allergies: [{ substance: `Pénicilline${c}` }] })).toEqual({
      'allergies.0.substance': 'La substance ou classe contient un caractère de contrôle ou de mise en forme : retapez le texte.',
    });
    expect(patientErrors({ firstNames: `${c}Hélène` })).toEqual({ firstNames: 'Les prénoms contiennent un caractère de contrôle ou de mise en forme : retapez le texte.' });
    expect(hasRefusedCharacter(`a${c}b`)).toBe(true);
  });

  it('an ESC sequence, a NUL at the start of a name, a right-to-left override: each refused, nothing stored', () => {
    expect(patientErrors({ birthName: '\u001b[2J\u001b[31mMartin' })).toHaveProperty('birthName');
    expect(patientErrors({ birthName: '\u0000Martin' })).toHaveProperty('birthName');
    expect(patientErrors({ birthName: 'Martin\u202eelliV' })).toHaveProperty('birthName');
    expect(patientErrors({ address: '3 rue\r\ndes Tanneurs' })).toHaveProperty('address');
  });

  it('a paired surrogate (an emoji, a rare Chinese character) is a character like any other', () => {
    expect(hasRefusedCharacter('💊 𠀋')).toBe(false);
    expect(patientErrors({ allergies: [{ substance: 'Pénicillines 💊' }] })).toEqual({});
  });

  it('multi-line text keeps LF, reads CRLF as LF, and refuses every other control character', () => {
    const notes = optionalText('La note', 1000, { lines: true });
    expect(notes.parse('Ligne 1\nLigne 2')).toBe('Ligne 1\nLigne 2');
    expect(notes.parse('Ligne 1\r\nLigne 2\r\n')).toBe('Ligne 1\nLigne 2');
    for (const bad of ['Ligne 1\rLigne 2', 'Col\tonne', 'Ligne\u20282', '\u001b[31m', 'a\u202eb']) {
      expect(notes.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(hasRefusedCharacter('a\nb', 'lines')).toBe(false);
    expect(hasRefusedCharacter('a\nb', 'line')).toBe(true);
  });
});

describe('empty, trimmed, NFC', () => {
  it('a value of spaces or zero-width characters is empty: required fields say so, optional ones store ""', () => {
    for (const blank of ['', '   ', '\u00a0\u3000', '\u200b', '\u200b\u200c\u200d\u2060\ufeff', ' \u200b ', '\u3164', '\u00ad']) {
      expect(patientErrors({ birthName: blank }), JSON.stringify(blank)).toEqual({ birthName: 'Le nom de naissance est obligatoire.' });
      expect(patientInputSchema.parse({ ...minimal, city: blank, usedName: blank }), JSON.stringify(blank)).toMatchObject({ city: '', usedName: '' });
    }
    expect(requiredText('Le libellé').safeParse('\u200b').error?.issues[0]?.message).toBe('Le libellé est obligatoire.');
  });

  it('spaces and zero-width characters around a value go; composed and decomposed accents are one text', () => {
    expect(cleanText('\u200b Lyon \ufeff')).toBe('Lyon');
    const parsed = patientInputSchema.parse({ ...minimal, birthName: 'Lefe\u0300vre', city: '  Saint-E\u0301tienne\u200b' });
    expect(parsed.birthName).toBe('Lef\u00e8vre');
    expect(parsed.city).toBe('Saint-\u00c9tienne');
  });
});

describe('length limits', () => {
  it('an e-mail of 1,000,000 characters, or of 255, is refused; the profile’s too', () => {
    const huge = `${'a'.repeat(1_000_000)}@exemple.fr`;
    expect(patientErrors({ email: huge })).toEqual({ email: 'L’adresse e-mail ne doit pas dépasser 254 caractères.' });
    expect(patientErrors({ email: `${'a'.repeat(244)}@exemple.fr` })).toEqual({ email: 'L’adresse e-mail ne doit pas dépasser 254 caractères.' });
    const profile = prescriberProfileSchema.safeParse({ ...validProfile, email: huge });
    expect(profile.success ? {} : fieldErrorsOf(profile.error)).toEqual({ email: 'L’adresse e-mail ne doit pas dépasser 254 caractères.' });
    expect(TEXT_LIMITS.email).toBe(254);
  });

  it('a name longer than its limit is refused with the limit in French', () => {
    expect(patientErrors({ birthName: 'A'.repeat(101) })).toEqual({ birthName: 'Le nom de naissance ne doit pas dépasser 100 caractères.' });
    expect(patientErrors({ birthName: 'A'.repeat(1_000_000) })).toEqual({ birthName: 'Le nom de naissance ne doit pas dépasser 100 caractères.' });
    // 100 letters typed decomposed (e + accent: 200 units) are 100 once stored.
    expect(patientErrors({ birthName: 'e\u0301'.repeat(100) })).toEqual({});
  });
});

describe('names: letters of any script, never a formula', () => {
  it('accepts the names of the INS traits and of every script', () => {
    for (const name of ['Lefèvre', 'Le Goff', "N'Diaye", 'N’Diaye', 'Saint-Martin', 'Nguyễn', 'Иванов', '王', 'Αλεξάνδρου', 'Øksnevad', 'Müller-Lüdenscheidt']) {
      expect(patientErrors({ birthName: name }), name).toEqual({});
    }
    expect(patientErrors({ firstNames: 'Иван Петрович' })).toEqual({});
    expect(patientErrors({ firstNames: '秀英' })).toEqual({});
    expect(patientErrors({ firstNames: 'Jean-Pierre, Marie' })).toEqual({});
  });

  it('refuses a spreadsheet formula as a name (=, +, -, @ first), in the patient’s and the prescriber’s names', () => {
    for (const formula of ['=HYPERLINK("http://x")', '+33612345678', '-Martin', '@SOMME(A1)', ' =1+1']) {
      expect(patientErrors({ birthName: formula }).birthName, formula).toMatch(/^Le nom de naissance ne peut pas commencer par « [=+\-@] » : ce serait une formule de tableur, pas un nom\.$/);
      expect(patientErrors({ firstNames: formula }).firstNames, formula).toMatch(/^Les prénoms ne peuvent pas commencer par/);
      expect(patientErrors({ usedName: formula }), formula).toHaveProperty('usedName');
      const profile = prescriberProfileSchema.safeParse({ ...validProfile, lastName: formula });
      expect(profile.success, formula).toBe(false);
    }
  });

  it('refuses what is not part of a name, naming the character', () => {
    expect(patientErrors({ birthName: 'Martin#2' })).toEqual({
      birthName: 'Le nom de naissance contient « # » : seuls les lettres, les espaces, les traits d’union, les apostrophes et les points sont acceptés.',
    });
    expect(patientErrors({ birthName: 'Mar\u200btin' }).birthName).toBe(
      'Le nom de naissance contient un caractère invisible (U+200B) : seuls les lettres, les espaces, les traits d’union, les apostrophes et les points sont acceptés.',
    );
    expect(patientErrors({ birthName: "'Martin" })).toEqual({ birthName: 'Le nom de naissance doit commencer par une lettre.' });
    expect(patientErrors({ birthName: 'Dupont, Martin' })).toHaveProperty('birthName');
    expect(nameProblem('Martin', 'Le nom')).toBeNull();
    expect(requiredName('Le nom', 100).safeParse('<script>').success).toBe(false);
  });

  it('refuses digits in a name: an identity trait has none', () => {
    expect(patientErrors({ birthName: 'Dupont2' })).toEqual({
      birthName: 'Le nom de naissance contient « 2 » : seuls les lettres, les espaces, les traits d’union, les apostrophes et les points sont acceptés.',
    });
    expect(patientErrors({ firstNames: 'Jean 3' })).toHaveProperty('firstNames');
    expect(patientErrors({ usedName: 'Ⅳ' })).toHaveProperty('usedName');
    expect(prescriberProfileSchema.safeParse({ ...validProfile, firstName: 'Claire1' }).success).toBe(false);
  });
});

describe('search boxes', () => {
  it('strip what they cannot use instead of refusing the search, and have a limit', () => {
    const query = contract['patients.search'].input;
    expect(query.parse({ query: 'mar\u001b[31mtin\u0000' }).query).toBe('mar [31mtin ');
    expect(query.parse({ query: '\u202eniv\u200eel' }).query).toBe(' niv el');
    expect(query.safeParse({ query: 'a'.repeat(201) }).success).toBe(false);
    expect(contract['drugs.search'].input.parse({ query: 'amox\t500' }).query).toBe('amox 500');
    expect(contract['drugs.search'].input.safeParse({ query: 'a'.repeat(1_000_000) }).success).toBe(false);
    expect(stripUnsafe('a\u0085b')).toBe('a b');
  });
});

describe('printing data', () => {
  it('escapes every refused character as \\uXXXX, which JSON reads back as the same string', () => {
    const name = 'Mar\u001b[31mtin\u009b\u202e\u2028\ud800\ufffe';
    expect(escapeUnsafe(name)).toBe('Mar\\u001b[31mtin\\u009b\\u202e\\u2028\\ud800\\ufffe');
    expect(JSON.parse(`"${escapeUnsafe(name)}"`)).toBe(name);
    expect(escapeUnsafe('Hélène 王 💊')).toBe('Hélène 王 💊');
  });
});

/** A string leaf of a call's example, replaced by `value`. */
function withLeaf(example: unknown, path: readonly (string | number)[], value: string): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(example) ? [...(example as unknown[])] : { ...(example as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[key] = withLeaf(copy[key], rest, value);
  return copy;
}

/** The strings of a parsed value. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/** Every string of every call's example, with its call. */
const stringLeaves = callNames.flatMap((name) => {
  const example = contract[name].example;
  return leavesOf(example)
    .filter((path) => typeof path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], example) === 'string')
    .map((path) => [`${name} ${path.join('.')}`, name, path] as const);
});

describe('every string of every call', () => {
  it('there are strings to check', () => {
    expect(stringLeaves.length).toBeGreaterThan(30);
  });

  it.each(stringLeaves)('%s: a million characters are refused; a NUL, an ESC, a bidi override or a lone surrogate never gets through', (_label, name, path) => {
    const spec = contract[name];
    // A file's bytes in base64 may be a million characters: its limit is the file's size (5 Mo).
    const tooLong = path.at(-1) === 'contentBase64' ? 'A'.repeat(8_000_000) : 'x'.repeat(1_000_000);
    expect(spec.input.safeParse(withLeaf(spec.example, path, tooLong)).success).toBe(false);
    const current = String(path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], spec.example));
    for (const c of ['\u0000', '\u001b', '\u009b', '\u202e', '\u2066', '\ud800', '\n']) {
      for (const value of [`${c}${current}`, `${current.slice(0, 1)}${c}${current.slice(1)}`]) {
        const parsed = spec.input.safeParse(withLeaf(spec.example, path, value));
        // Refused, or (a search box) accepted without the character.
        if (parsed.success) expect(stringsOf(parsed.data).filter((s) => hasRefusedCharacter(s)), `${name} ${path.join('.')} ${JSON.stringify(value)}`).toEqual([]);
      }
    }
  });
});
