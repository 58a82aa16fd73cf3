import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { DrugSearchItem } from '../../../shared/calls/drugs';
import { fr } from '../../i18n/fr';
import { DrugFlags } from './DrugFlags';
import { useDrugSearch } from './useDrugSearch';

const t = fr.drugs;

export interface ChosenDrug extends DrugSearchItem {
  dciLabel: string;
}

/**
 * One box for brand, DCI or code; results grouped by DCI label with their brands. The ARIA
 * combobox pattern: focus stays in the box, arrows move the active option, Enter chooses it,
 * Escape clears. A screen reader hears the group (the DCI) with each brand.
 */
export function DrugSearch({ onChoose }: { onChoose: (drug: ChosenDrug) => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(-1);
  const search = useDrugSearch(query);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const optionId = (index: number) => `${id}-option-${index}`;

  const blank = query.trim() === '';
  const groups = blank ? [] : (search.data?.groups ?? []);
  const options: ChosenDrug[] = groups.flatMap((g) => g.items.map((item) => ({ ...item, dciLabel: g.dciLabel })));
  const expanded = options.length > 0;

  useEffect(() => {
    // The box is what this screen is for: focus it once the title has announced the screen.
    const frame = requestAnimationFrame(() => inputRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const choose = (index: number) => {
    const drug = options[index];
    if (drug !== undefined) onChoose(drug);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        if (!expanded) return;
        event.preventDefault();
        setActive((i) => (i + 1) % options.length);
        break;
      case 'ArrowUp':
        if (!expanded) return;
        event.preventDefault();
        setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
        break;
      case 'Home':
      case 'End':
        if (!expanded || active < 0) return;
        event.preventDefault();
        setActive(event.key === 'Home' ? 0 : options.length - 1);
        break;
      case 'Enter':
        if (active < 0 && options.length === 0) return;
        event.preventDefault();
        choose(active < 0 ? 0 : active);
        break;
      case 'Escape':
        if (blank) return;
        event.preventDefault();
        setQuery('');
        setActive(-1);
        break;
      default:
    }
  };

  const status = blank
    ? t.typeToSearch
    : search.isError
      ? search.error.message
      : search.data === undefined
        ? fr.loading
        : groups.length === 0
          ? t.noMatch(query.trim())
          : t.found(groups.length);

  // Index of each group's first option in `options`, for ids and the active option.
  const firstOption = groups.map((_, g) => groups.slice(0, g).reduce((sum, previous) => sum + previous.items.length, 0));
  return (
    <div className="drug-search">
      <div className="field">
        <label htmlFor={`${id}-input`}>{t.searchLabel}</label>
        <input
          id={`${id}-input`}
          ref={inputRef}
          type="search"
          name="drug-search"
          role="combobox"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={active >= 0 ? optionId(active) : undefined}
          aria-describedby={hintId}
        />
        <p id={hintId} className="field__hint">
          {t.searchHint}
        </p>
      </div>
      <p className="drug-search__status" role="status">
        {status}
      </p>
      <div id={listId} role="listbox" aria-label={t.resultsLabel} className="drug-results" hidden={!expanded}>
        {groups.map((group, g) => (
          <div key={`${group.dciLabel}-${g}`} role="group" aria-labelledby={`${id}-group-${g}`} className="drug-group">
            <div id={`${id}-group-${g}`} role="presentation" className="drug-group__label">
              {group.dciLabel}
            </div>
            {group.items.map((item, i) => {
              const mine = firstOption[g]! + i;
              return (
                <div
                  key={item.cis}
                  id={optionId(mine)}
                  role="option"
                  aria-selected={mine === active}
                  className={`drug-option${mine === active ? ' drug-option--active' : ''}${item.marketed ? '' : ' drug-option--withdrawn'}`}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => choose(mine)}
                  onMouseMove={() => setActive(mine)}
                >
                  <span className="drug-option__name">{item.name}</span>
                  {item.matchedCode !== null ? <span className="drug-option__code">{t.matchedCode(item.matchedCode)}</span> : null}
                  <DrugFlags item={item} />
                </div>
              );
            })}
            {group.total > group.items.length ? (
              <div role="presentation" className="drug-group__more">
                {t.moreInGroup(group.total - group.items.length)}
              </div>
            ) : null}
          </div>
        ))}
      </div>
    </div>
  );
}
