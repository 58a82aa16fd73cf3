/**
 * Which CSV column feeds which field of the record. Headers are compared accents, case and
 * punctuation aside ("Prénom(s)", "PRENOMS" and "prenoms" are the same). The table is documented
 * in docs/patients-import.md: change both together.
 */
import { normalizeText } from '../../shared/domain/text';

export type ImportField =
  | 'birthName'
  | 'usedName'
  | 'firstNames'
  | 'sex'
  | 'birthDate'
  | 'birthPlaceCode'
  | 'nir'
  | 'address'
  | 'postalCode'
  | 'city'
  | 'phone'
  | 'email'
  | 'allergies';

export const importHeaders: Record<ImportField, readonly string[]> = {
  birthName: ['nom de naissance', 'nom naissance', 'nom', 'nom de famille', 'nom patronymique', 'birth name'],
  usedName: ['nom d usage', 'nom usage', 'nom utilise', 'nom marital', 'nom d epouse'],
  firstNames: ['prenoms', 'prenom', 'prenom s', 'liste des prenoms', 'first names'],
  sex: ['sexe', 'sex'],
  birthDate: ['date de naissance', 'date naissance', 'naissance', 'ne le', 'ne e le', 'ddn', 'birth date'],
  birthPlaceCode: ['code lieu de naissance', 'code lieu naissance', 'code insee naissance', 'code insee de naissance', 'lieu de naissance insee'],
  nir: ['nir', 'ins', 'matricule ins', 'numero de securite sociale', 'n securite sociale', 'numero secu', 'n secu', 'num secu', 'nss'],
  address: ['adresse', 'adresse postale'],
  postalCode: ['code postal', 'cp'],
  city: ['ville', 'commune', 'localite'],
  phone: ['telephone', 'tel', 'portable', 'telephone portable', 'mobile'],
  email: ['email', 'e mail', 'courriel', 'mail', 'adresse e mail', 'adresse electronique'],
  allergies: ['allergies', 'allergie'],
};

export const requiredImportFields: readonly ImportField[] = ['birthName', 'firstNames', 'sex', 'birthDate'];

/** How the report names a required column that is missing. */
export const importFieldLabels: Record<ImportField, string> = {
  birthName: 'nom de naissance',
  usedName: 'nom d’usage',
  firstNames: 'prénoms',
  sex: 'sexe',
  birthDate: 'date de naissance',
  birthPlaceCode: 'code lieu de naissance',
  nir: 'NIR',
  address: 'adresse',
  postalCode: 'code postal',
  city: 'ville',
  phone: 'téléphone',
  email: 'e-mail',
  allergies: 'allergies',
};

const byHeader = new Map<string, ImportField>(
  (Object.entries(importHeaders) as [ImportField, readonly string[]][]).flatMap(([field, names]) => names.map((n) => [n, field] as const)),
);

export interface ColumnMap {
  /** Field → index of the column that feeds it (the first one when two could). */
  columns: Partial<Record<ImportField, number>>;
  /** Headers that feed nothing, as written in the file. */
  ignored: string[];
  missing: ImportField[];
}

export function mapColumns(header: readonly string[]): ColumnMap {
  const columns: Partial<Record<ImportField, number>> = {};
  const ignored: string[] = [];
  header.forEach((name, index) => {
    const field = byHeader.get(normalizeText(name));
    if (field !== undefined && columns[field] === undefined) columns[field] = index;
    else if (name !== '') ignored.push(name);
  });
  return { columns, ignored, missing: requiredImportFields.filter((f) => columns[f] === undefined) };
}

const sexWords: Record<string, 'F' | 'M' | 'I'> = {
  f: 'F',
  feminin: 'F',
  femme: 'F',
  '2': 'F',
  m: 'M',
  h: 'M',
  masculin: 'M',
  homme: 'M',
  '1': 'M',
  i: 'I',
  indetermine: 'I',
};

/** The sex as other software writes it (F/M, H, Femme, 1/2…); undefined when not recognised. */
export function sexOf(cell: string): 'F' | 'M' | 'I' | undefined {
  return sexWords[normalizeText(cell)];
}

/** One CSV row as the input the patient schema validates; `cell` reads a mapped column. */
export function inputOfRow(cell: (field: ImportField) => string): Record<string, unknown> {
  const allergies = cell('allergies')
    .split('|')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    // Another software's allergies are free text: nothing matched to the rule set.
    .map((substance) => ({ kind: 'allergy' as const, substance, reaction: '', code: null }));
  return {
    birthName: cell('birthName'),
    usedName: cell('usedName'),
    firstNames: cell('firstNames'),
    // Unrecognised: left as typed, for the schema to refuse.
    sex: sexOf(cell('sex')) ?? cell('sex'),
    birthDate: cell('birthDate'),
    birthPlaceCode: cell('birthPlaceCode'),
    nir: cell('nir'),
    // Another software's identity was not checked against a document here.
    identityStatus: 'provisional',
    address: cell('address'),
    postalCode: cell('postalCode'),
    city: cell('city'),
    phone: cell('phone'),
    email: cell('email'),
    allergies,
  };
}
