import { interactionLevels, type InteractionLevel } from '../../../shared/calls/drugs';
import type { DrugInteractionItem } from '../../../shared/calls/interactions';
import { useCall } from '../../app/queries';
import { fr } from '../../i18n/fr';
import './interactions.css';

const t = fr.interactions.card;
const levelNames = fr.interactions.levels;

/** The thesaurus is typed with straight apostrophes: shown with the typographic one. */
const typographic = (text: string) => text.replace(/'/g, '’');

/**
 * The drug card's interactions from the installed ANSM thesaurus, grouped by level, most severe
 * first: with which substance or class, through which of this drug's substances, the risk and
 * what to do. Says so when no thesaurus is installed.
 */
export function DrugInteractions({ cis }: { cis: string }) {
  const result = useCall('interactions.ofDrug', { cis });
  return (
    <section className="drug-interactions" aria-labelledby="drug-interactions-title">
      <h3 id="drug-interactions-title">{t.title}</h3>
      {result.isPending ? <p className="loading">{fr.loading}</p> : null}
      {result.isError ? <p role="alert">{result.error.message}</p> : null}
      {result.data !== undefined ? (
        result.data.thesaurus === null ? (
          <p className="warning" data-testid="drug-interactions-none">
            {t.none}
          </p>
        ) : (
          <>
            <p className="drug-interactions__source">{t.source(fr.interactions.label(result.data.thesaurus.edition, result.data.thesaurus.rules))}</p>
            {result.data.interactions.length === 0 ? <p data-testid="drug-interactions-empty">{t.empty}</p> : null}
            {interactionLevels.map((level) => (
              <LevelGroup key={level} level={level} items={result.data.interactions.filter((i) => i.severity === level)} />
            ))}
          </>
        )
      ) : null}
    </section>
  );
}

function LevelGroup({ level, items }: { level: InteractionLevel; items: DrugInteractionItem[] }) {
  if (items.length === 0) return null;
  const titleId = `drug-interactions-${level}`;
  return (
    <section className={`interaction-level interaction-level--${level}`} aria-labelledby={titleId} data-testid={titleId}>
      <h4 id={titleId}>
        {levelNames[level]} <span className="interaction-level__count">({t.levelCount(items.length)})</span>
      </h4>
      <ul className="interaction-level__list">
        {items.map((item) => (
          <li key={item.ruleId} className="interaction">
            <p className="interaction__with">
              <strong>
                {t.with} {item.with.name}
              </strong>{' '}
              ({t.kinds[item.with.kind]}) · {t.via} {item.via.name}
              {item.via.kind === 'class' ? ` (${t.kinds.class})` : ''}
            </p>
            {item.levels.length > 1 ? <p className="interaction__levels">{t.alsoLevels(item.levels.map((l) => levelNames[l].toLowerCase()).join(', '))}</p> : null}
            <dl className="interaction__facts">
              <dt>{t.risk}</dt>
              <dd>{typographic(item.risk)}</dd>
              {item.advice !== '' ? (
                <>
                  <dt>{t.advice}</dt>
                  <dd>{typographic(item.advice)}</dd>
                </>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
