/** How a patient is named on screens, in messages and on paper. */
import { formatDate } from './dates';

interface Named {
  birthName: string;
  usedName: string;
  firstNames: string;
  sex: 'F' | 'M' | 'I';
  birthDate: string;
}

/** "MARTIN Claire" or, after a change of name, "MARTIN née DURAND Claire". */
export function displayName(p: Omit<Named, 'birthDate'>): string {
  const upper = (s: string) => s.toLocaleUpperCase('fr-FR');
  if (p.usedName === '' || p.usedName.toLocaleLowerCase('fr-FR') === p.birthName.toLocaleLowerCase('fr-FR')) {
    return `${upper(p.birthName)} ${p.firstNames}`;
  }
  return `${upper(p.usedName)} ${bornWord(p.sex)} ${upper(p.birthName)} ${p.firstNames}`;
}

export function bornWord(sex: Named['sex']): string {
  return sex === 'F' ? 'née' : sex === 'M' ? 'né' : 'né(e)';
}

/** "LEFÈVRE Hélène, née le 14/03/1980": how a GP recognises a patient in a message. */
export function describePatient(p: Named): string {
  return `${displayName(p)}, ${bornWord(p.sex)} le ${formatDate(p.birthDate)}`;
}
