import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { DrugSearchGroup, DrugSearchItem } from '../../../shared/calls/drugs';
import { fr } from '../../i18n/fr';
import { DrugFlags } from './DrugFlags';
import { MORE_GROUPS, useDrugSearch, useWholeGroups } from './useDrugSearch';

const t = fr.drugs;

export interface ChosenDrug extends DrugSearchItem {
  dciLabel: string;
}

/**
 * One box for brand, DCI or code; results grouped by DCI label with their brands. The ARIA
 * combobox pattern: focus stays in the box, arrows move the active option, Enter chooses it,
 * Escape clears. A screen reader hears the group (the DCI) with each brand. The status says how
 * many groups match; buttons (Tab, then Enter) show the next groups and a group's other
 * specialties, and give the focus back to the box on the first new result.
 */
export function DrugSearch({ onChoose, inputRef: givenRef }: { onChoose: (drug: ChosenDrug) => void; inputRef?: RefObject<HTMLInputElement | null> }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(-1);
  /** Closed after a choice, until the GP types or presses ↓ again. */
  const [closed, setClosed] = useState(false);
  const search = useDrugSearch(query);
  /** Groups whose every specialty the GP asked to see, for this query. */
  const [opened, setOpened] = useState<{ query: string; keys: string[] }>({ query: '', keys: [] });
  const openedKeys = opened.query === query ? opened.keys : [];
  const whole = useWholeGroups(query, openedKeys);
  /** The option to make active once the results it belongs to have arrived. */
  const [pendingActive, setPendingActive] = useState<{ group: number; item: number } | null>(null);
  const ownRef = useRef<HTMLInputElement>(null);
  const inputRef = givenRef ?? ownRef;
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const optionId = (index: number) => `${id}-option-${index}`;

  const blank = query.trim() === '';
  const pages = blank ? [] : (search.data?.pages ?? []);
  const groups: DrugSearchGroup[] = pages.flatMap((page) => page.groups).map((g) => whole.get(g.key)?.groups[0] ?? g);
  const totalGroups = pages[0]?.totalGroups ?? 0;
  const options: ChosenDrug[] = groups.flatMap((g) => g.items.map((item) => ({ ...item, dciLabel: g.dciLabel })));
  // The previous query's results stay on screen while the next load (no flicker), but choosing
  // from them would pick a drug the GP did not search for: only current results can be chosen.
  const current = !blank && pages[0] !== undefined && !search.isPlaceholderData && pages[0].query === query;
  const expanded = options.length > 0 && !closed;
  const moreGroups = totalGroups - groups.length;
  // Index of each group's first option in `options`, for ids and the active option.
  const firstOption = groups.map((_, g) => groups.slice(0, g).reduce((sum, previous) => sum + previous.items.length, 0));

  // The new results the GP asked for have arrived: the first of them becomes the active option.
  if (pendingActive !== null) {
    const group = groups[pendingActive.group];
    if (group !== undefined && group.items.length > pendingActive.item) {
      setPendingActive(null);
      setClosed(false);
      setActive(firstOption[pendingActive.group]! + pendingActive.item);
    }
  }

  // The box takes the focus back at once, so arrows and Enter go on from the new results.
  const showMoreGroups = () => {
    setPendingActive({ group: groups.length, item: 0 });
    inputRef.current?.focus();
    void search.fetchNextPage();
  };
  const openGroup = (g: number) => {
    const group = groups[g]!;
    setPendingActive({ group: g, item: group.items.length });
    inputRef.current?.focus();
    setOpened({ query, keys: [...openedKeys, group.key] });
  };

  useEffect(() => {
    // The box is what this screen is for: focus it once the title has announced the screen.
    const frame = requestAnimationFrame(() => inputRef.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, [inputRef]);
  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const choose = (index: number) => {
    const drug = options[index];
    if (drug === undefined || !current) return;
    setClosed(true);
    setActive(-1);
    onChoose(drug);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        if (options.length === 0) return;
        event.preventDefault();
        if (closed) {
          setClosed(false);
          setActive(0);
          break;
        }
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
        if (!expanded) return;
        event.preventDefault();
        // Results of an earlier query still on screen: wait for the current ones.
        if (current) choose(active < 0 ? 0 : active);
        break;
      case 'Escape':
        if (blank) return;
        event.preventDefault();
        setQuery('');
        setActive(-1);
        setClosed(false);
        break;
      default:
    }
  };

  // The live region announces settled results only: nothing while a keystroke's results load,
  // so a screen reader does not say « Chargement… » at every letter.
  const settled = blank
    ? t.typeToSearch
    : search.isError
      ? search.error.message
      : current
        ? totalGroups === 0
          ? t.noMatch(query.trim())
          : t.found(totalGroups, groups.length)
        : undefined;
  const [status, setStatus] = useState<string>(t.typeToSearch);
  if (settled !== undefined && settled !== status) setStatus(settled);

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
            setClosed(false);
          }}
          onKeyDown={onKeyDown}
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-describedby={hintId}
        />
        <p id={hintId} className="field__hint">
          {t.searchHint}
        </p>
      </div>
      <p className="drug-search__status" role="status">
        {status}
      </p>
      <div className="drug-results" hidden={!expanded}>
      <div id={listId} role="listbox" aria-label={t.resultsLabel} aria-busy={!current && !blank} className="drug-results__list">
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
              <button
                type="button"
                className="drug-group__more"
                aria-describedby={`${id}-group-${g}`}
                onClick={() => openGroup(g)}
                disabled={openedKeys.includes(group.key)}
              >
                {t.moreInGroup(group.total - group.items.length)}
              </button>
            ) : null}
          </div>
        ))}
      </div>
      {moreGroups > 0 && current ? (
        <button type="button" className="drug-results__more" onClick={showMoreGroups} disabled={search.isFetchingNextPage}>
          {t.moreGroups(moreGroups, MORE_GROUPS)}
        </button>
      ) : null}
      </div>
    </div>
  );
}
