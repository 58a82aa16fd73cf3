import type { DrugSearchItem } from '../../../shared/calls/drugs';
import { drugFlagNames } from '../../../shared/domain/drugs';
import { fr } from '../../i18n/fr';

const t = fr.drugs.flags;

/** Badges a GP must see before choosing: regulatory lists, hospital reservation, marketing, generics. */
export function DrugFlags({ item }: { item: Pick<DrugSearchItem, 'flags' | 'genericType'> }) {
  const shown = drugFlagNames.filter((name) => item.flags[name]);
  if (shown.length === 0 && item.genericType === null) return null;
  return (
    <span className="drug-flags">
      {shown.map((name) => (
        <span key={name} className={`drug-flag drug-flag--${name}`}>
          {t[name]}
        </span>
      ))}
      {item.genericType !== null ? <span className={`drug-flag drug-flag--${item.genericType}`}>{t[item.genericType]}</span> : null}
    </span>
  );
}
