import { useEffect, useId, useImperativeHandle, useLayoutEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { Favourite } from '../../../shared/calls/prescriptions';
import type { DrugSearchGroup } from '../../../shared/calls/drugs';
import { normalizeText } from '../../../shared/domain/text';
import { queryClient, useCall } from '../../app/queries';
import { fr } from '../../i18n/fr';
import type { ChosenDrug } from '../drugs/DrugSearch';
import { DrugFlags } from '../drugs/DrugFlags';
import { prefetchDrugSearch, searchAhead, useDrugSearch } from '../drugs/useDrugSearch';

const t = fr.prescriptions.picker;
const td = fr.drugs;

export interface DrugPickerHandle {
  focus(): void;
  /** Ctrl+K from anywhere in the editor: the box with « * », the favourites listed. */
  openFavourites(): void;
}

declare global {
  interface Window {
    /** The picker's timings (see `recordTiming`), read by the lead's benchmark. */
    __ordoPickerTimings?: { query: string; ms: number; committedMs: number }[];
  }
}

const MAX_TIMINGS = 5000;
let timingSeq = 0;

/**
 * Benchmark instrumentation, always on and cheap: for each query typed, the time from the keydown
 * that produced it to the first animation frame after the list shows that query's results, as a
 * `performance.measure` named `ordo:picker:<seq>` (detail: the query) and pushed onto
 * `window.__ordoPickerTimings` as {query, ms, committedMs} (committedMs: when React had put the
 * results in the page). Both are bounded (the oldest dropped).
 */
function recordTiming(query: string, start: number): void {
  const committed = performance.now();
  requestAnimationFrame(() => {
    const end = performance.now();
    const seq = ++timingSeq;
    performance.measure(`ordo:picker:${seq}`, { start, end, detail: { query } });
    if (seq > MAX_TIMINGS) performance.clearMeasures(`ordo:picker:${seq - MAX_TIMINGS}`);
    const timings = (window.__ordoPickerTimings ??= []);
    timings.push({ query, ms: end - start, committedMs: committed - start });
    if (timings.length > MAX_TIMINGS) timings.splice(0, timings.length - MAX_TIMINGS);
  });
}

type Option = { kind: 'drug'; drug: ChosenDrug } | { kind: 'favourite'; favourite: Favourite };

function matchFavourites(list: readonly Favourite[], query: string): Favourite[] {
  const words = normalizeText(query).split(' ').filter((w) => w !== '');
  return list.filter((f) => {
    const name = normalizeText(f.name).split(' ');
    return words.every((w) => name.some((n) => n.startsWith(w)));
  });
}

/**
 * The line to come: one box for a drug (DCI, brand, code: the drug search of Prescrire) or, after
 * « * » or Ctrl+K, a favourite. The ARIA combobox pattern: focus stays in the box, arrows move the
 * active option, Enter takes it (the first when none is active). Its state is its own, so typing
 * here never renders the lines again.
 */
export function DrugPicker({
  onDrug,
  onFavourite,
  disabled,
  ref,
}: {
  onDrug: (drug: ChosenDrug) => void;
  onFavourite: (favourite: Favourite) => void;
  disabled: boolean;
  ref?: Ref<DrugPickerHandle>;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  /** The last keydown's time, and the query it produced awaiting its results (benchmark). */
  const keyAt = useRef<number | null>(null);
  const awaiting = useRef<{ query: string; start: number } | null>(null);
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const optionId = (index: number) => `${id}-option-${index}`;

  const favouritesMode = query.startsWith('*');
  const favouriteQuery = favouritesMode ? query.slice(1).trim() : '';
  const search = useDrugSearch(favouritesMode ? '' : query);
  const favourites = useCall('favourites.list', {});

  useImperativeHandle(ref, () => ({
    focus: () => inputRef.current?.focus(),
    openFavourites: () => {
      setQuery('*');
      setActive(0);
      inputRef.current?.focus();
    },
  }));

  const blank = query.trim() === '';
  const page = blank || favouritesMode ? undefined : search.data?.pages[0];
  const groups: DrugSearchGroup[] = page?.groups ?? [];
  // The previous query's results stay on screen while the next load, but only the current ones can be taken.
  const current = !blank && !favouritesMode && page !== undefined && !search.isPlaceholderData && page.query === query;
  const matched = favouritesMode ? matchFavourites(favourites.data ?? [], favouriteQuery) : [];
  const options: Option[] = favouritesMode
    ? matched.map((favourite) => ({ kind: 'favourite', favourite }))
    : groups.flatMap((g) => g.items.map((item) => ({ kind: 'drug' as const, drug: { ...item, dciLabel: g.dciLabel } })));
  const expanded = options.length > 0;
  const firstOption = groups.map((_, g) => groups.slice(0, g).reduce((sum, previous) => sum + previous.items.length, 0));

  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });
  // A layout effect: the frame it asks for is the one that paints these results.
  useLayoutEffect(() => {
    const waiting = awaiting.current;
    if (current && waiting !== null && waiting.query === query) {
      awaiting.current = null;
      recordTiming(query, waiting.start);
    }
  }, [current, query]);

  // Once a query's results are in, the next letters' are asked for (useDrugSearch.ts `searchAhead`).
  useEffect(() => {
    if (disabled || favouritesMode) return;
    if (query === '') searchAhead(queryClient, '');
    else if (current) searchAhead(queryClient, query);
  }, [disabled, favouritesMode, query, current]);

  const reset = () => {
    setQuery('');
    setActive(-1);
  };

  const take = (index: number) => {
    const option = options[index];
    if (option === undefined) return;
    if (option.kind === 'drug') {
      if (!current) return;
      reset();
      onDrug(option.drug);
    } else {
      reset();
      onFavourite(option.favourite);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    keyAt.current = event.timeStamp;
    if (event.ctrlKey && (event.key === 'k' || event.key === 'K')) {
      event.preventDefault();
      event.stopPropagation();
      setQuery('*');
      setActive(0);
      return;
    }
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
      case 'Enter':
        if (event.ctrlKey || event.altKey || event.shiftKey || !expanded) return;
        event.preventDefault();
        take(active < 0 ? 0 : Math.min(active, options.length - 1));
        break;
      case 'Escape':
        if (query === '') return;
        event.preventDefault();
        event.stopPropagation();
        reset();
        break;
      default:
    }
  };

  // The live region speaks settled answers only (never at each letter while a query loads).
  const settled = blank
    ? t.typeToSearch
    : favouritesMode
      ? favourites.isPending
        ? undefined
        : matched.length === 0
          ? t.noFavourite(favouriteQuery)
          : t.favouritesFound(matched.length)
      : search.isError
        ? search.error.message
        : current
          ? page.totalGroups === 0
            ? td.noMatch(query.trim())
            : td.found(page.totalGroups, groups.length)
          : undefined;
  const [status, setStatus] = useState<string>(t.typeToSearch);
  if (settled !== undefined && settled !== status) setStatus(settled);

  return (
    <div className="picker">
      <div className="field">
        <label htmlFor={`${id}-input`}>{t.label}</label>
        <input
          id={`${id}-input`}
          ref={inputRef}
          type="search"
          name="drug-picker"
          role="combobox"
          value={query}
          disabled={disabled}
          onChange={(event) => {
            const next = event.target.value;
            awaiting.current = { query: next, start: keyAt.current ?? event.timeStamp };
            keyAt.current = null;
            if (!next.startsWith('*')) prefetchDrugSearch(queryClient, next);
            setQuery(next);
            setActive(-1);
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
          {favouritesMode ? t.favouritesHint : t.hint}
        </p>
      </div>
      <p className="picker__status" role="status">
        {status}
      </p>
      <div className="drug-results picker__results" hidden={!expanded}>
        <div id={listId} role="listbox" aria-label={favouritesMode ? t.favouritesLabel : t.resultsLabel} aria-busy={!favouritesMode && !current && !blank} className="drug-results__list">
          {favouritesMode
            ? matched.map((f, i) => (
                <div
                  key={f.id}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  className={`drug-option${i === active ? ' drug-option--active' : ''}`}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => take(i)}
                >
                  <span className="drug-option__name">{f.name}</span>
                  <span className="picker__facts">
                    {t.favouriteKind[f.kind]} · {t.favouriteLines(f.lines.length)} · {f.labels.join(', ')}
                  </span>
                </div>
              ))
            : groups.map((group, g) => (
                <div key={`${group.key}-${g}`} role="group" aria-labelledby={`${id}-group-${g}`} className="drug-group">
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
                        onClick={() => take(mine)}
                      >
                        <span className="drug-option__name">{item.name}</span>
                        {item.matchedCode !== null ? <span className="drug-option__code">{td.matchedCode(item.matchedCode)}</span> : null}
                        <DrugFlags item={item} />
                      </div>
                    );
                  })}
                </div>
              ))}
        </div>
      </div>
    </div>
  );
}
