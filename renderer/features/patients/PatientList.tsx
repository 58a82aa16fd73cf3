import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { formatDate, isoDay } from '../../../shared/domain/dates';
import { formatNir } from '../../../shared/domain/nir';
import { bornWord, displayName } from '../../../shared/domain/patient-names';
import type { PatientSummary } from '../../../shared/domain/patient-record';
import { newPrescriptionHref, patientHref } from '../../app/router';
import { Screen } from '../../components/Screen';
import { fr } from '../../i18n/fr';
import { PAGE_SIZE, usePatientSearch } from './usePatientSearch';

const t = fr.patients;

/** Kept while the app runs: back from a patient's page, the list is as the GP left it. */
let lastQuery = '';

function describeRow(p: PatientSummary, today: string): string {
  const parts = [t.page.bornOn(bornWord(p.sex), formatDate(p.birthDate), t.age(p.birthDate, today))];
  if (p.nir !== null) parts.push(`${t.page.nir} ${formatNir(p.nir)}`);
  if (p.city !== '') parts.push(p.city);
  return parts.join(' · ');
}

/** Arrow keys move between the search box and the results, like a list box. */
function moveFocus(event: KeyboardEvent<HTMLElement>, list: HTMLElement | null, search: HTMLInputElement | null) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...(list?.querySelectorAll<HTMLAnchorElement>('a') ?? [])];
  const index = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next = event.key === 'ArrowDown' ? index + 1 : index - 1;
  event.preventDefault();
  if (next < 0) search?.focus();
  else links[Math.min(next, links.length - 1)]?.focus();
}

/**
 * `mode: 'prescribe'` is Prescrire's « pour qui est l’ordonnance ? »: the same search, each result
 * starting a new prescription for that patient instead of opening the record.
 */
export function PatientList({ mode = 'open', top, bottom }: { mode?: 'open' | 'prescribe'; top?: ReactNode; bottom?: ReactNode } = {}) {
  const [query, setQuery] = useState(lastQuery);
  const search = usePatientSearch(query);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  /** After « Afficher les suivants »: the first new result takes the focus once it is there. */
  const focusAt = useRef<number | null>(null);
  const hintId = useId();
  const inputId = useId();
  const today = isoDay(new Date());

  useEffect(() => {
    lastQuery = query;
  }, [query]);
  useEffect(() => {
    // Finding a patient is what this screen is for: the box takes the focus once the screen's
    // title has had it (Screen focuses it on mount, for screen readers), unless the GP has
    // already moved the focus elsewhere: never take it from under the keyboard.
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active === null || active === document.body || active.id === 'screen-title') inputRef.current?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, []);

  const blank = query.trim() === '';
  const pages = blank ? [] : (search.data?.pages ?? []);
  const results = [...new Map(pages.flatMap((page) => page.results).map((p) => [p.id, p])).values()];
  const total = pages[0]?.total ?? 0;
  const more = pages.at(-1)?.more === true;
  useEffect(() => {
    const at = focusAt.current;
    if (at === null || results.length <= at) return;
    focusAt.current = null;
    listRef.current?.querySelectorAll<HTMLAnchorElement>('a')[at]?.focus();
  }, [results.length]);
  const showMore = () => {
    focusAt.current = results.length;
    void search.fetchNextPage();
  };
  // The live region speaks only settled answers: never "Chargement…" on each keystroke, nor the
  // previous query's count kept on screen while the next one runs (placeholder data).
  const settled = blank || search.isError || (search.data !== undefined && !search.isPlaceholderData && !search.isFetching);
  const settledStatus = !settled
    ? null
    : blank
      ? t.typeToSearch
      : search.isError
        ? search.error.message
        : results.length === 0
          ? t.noMatch
          : more || results.length < total
            ? t.shownOf(results.length, total)
            : t.found(total);
  const [status, setStatus] = useState(settledStatus ?? '');
  if (settledStatus !== null && settledStatus !== status) setStatus(settledStatus);
  const loading = !blank && !search.isError && search.data === undefined;

  return (
    <Screen title={mode === 'prescribe' ? fr.prescriptions.choose.title : t.title}>
      {top}
      {mode === 'prescribe' ? <p className="lead">{fr.prescriptions.choose.intro}</p> : null}
      <div className="patient-toolbar">
        <div className="field patient-search">
          <label htmlFor={inputId}>{t.searchLabel}</label>
          <input
            id={inputId}
            ref={inputRef}
            type="search"
            name="patient-search"
            value={query}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={hintId}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => moveFocus(event, listRef.current, inputRef.current)}
          />
          <p id={hintId} className="muted">
            {t.searchHint}
          </p>
        </div>
        <a className="button" href={patientHref('new')}>
          {t.newPatient}
        </a>
      </div>
      <p role="status" className="search-status">
        {status}
      </p>
      {/* Seen, not announced: the status above speaks once the answer is there. */}
      {loading ? (
        <p className="muted" aria-hidden="true">
          {fr.loading}
        </p>
      ) : null}
      {results.length > 0 ? (
        <ul className="patient-results" aria-label={t.resultsLabel} ref={listRef} onKeyDown={(event) => moveFocus(event, listRef.current, inputRef.current)}>
          {results.map((p) => (
            <li key={p.id}>
              <a href={mode === 'prescribe' ? newPrescriptionHref(p.id) : patientHref(p.id)} aria-label={mode === 'prescribe' ? `${fr.prescriptions.choose.prescribeFor(displayName(p))}, ${describeRow(p, today)}` : undefined}>
                <span className="patient-results__name">{displayName(p)}</span>
                <span className="patient-results__facts">{describeRow(p, today)}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {results.length > 0 && more ? (
        <p className="patient-more">
          <button type="button" className="secondary" onClick={showMore} disabled={search.isFetchingNextPage}>
            {search.isFetchingNextPage ? t.loadingMore : t.showMore(Math.min(PAGE_SIZE, total - results.length))}
          </button>
        </p>
      ) : null}
      {bottom}
    </Screen>
  );
}
