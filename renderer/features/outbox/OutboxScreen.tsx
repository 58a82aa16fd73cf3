import { useId, useRef, useState } from 'react';
import type { OutboxItem, OutboxSummary } from '../../../shared/calls/outbox';
import { outboxStates } from '../../../shared/calls/outbox';
import { useAction, useCall } from '../../app/queries';
import { patientHref, prescriptionHref } from '../../app/router';
import { Screen } from '../../components/Screen';
import { dmpSettingsHref } from '../settings/DmpSettings';
import { fr } from '../../i18n/fr';
import { formatNumber } from '../../i18n/numbers';
import { outboxStateText } from '../../i18n/outbox';
import './outbox.css';

const t = fr.outbox;
type Filter = 'all' | 'attention' | 'sent';
const filters: readonly Filter[] = ['all', 'attention', 'sent'];

/**
 * « Envois »: what each signed or cancelled prescription must tell the DMP, and where each stands.
 * Everything shown follows the pushed events (shared/invalidates.ts): no polling.
 */
export function OutboxScreen() {
  const [filter, setFilter] = useState<Filter>('all');
  const summary = useCall('outbox.summary', {});
  const list = useCall('outbox.list', { filter, limit: 200 });
  const retry = useAction('outbox.retry');
  const [said, setSaid] = useState('');
  const live = useRef<HTMLParagraphElement>(null);
  const s = summary.data ?? list.data?.summary;

  const retryAll = () => {
    if (retry.isPending || s === undefined || s.counts.failed === 0) return;
    setSaid('');
    retry.mutate({}, { onSuccess: () => setSaid(t.retryAllDone) });
  };
  const retryOne = (item: OutboxItem) => {
    if (retry.isPending) return;
    setSaid('');
    retry.mutate(
      { id: item.id },
      {
        onSuccess: () => {
          setSaid(t.retryRowDone(item.rxId));
          // The row's button goes with its state: the focus goes to what says it.
          live.current?.focus();
        },
      },
    );
  };

  return (
    <Screen title={t.title}>
      {summary.isError ? <p role="alert">{summary.error.message}</p> : null}
      {s !== undefined ? <Mode summary={s} /> : summary.isPending ? <p>{fr.loading}</p> : null}
      {s !== undefined ? (
        <>
          <Counts summary={s} />
          <Sync summary={s} />
          <p ref={live} tabIndex={-1} role="status" aria-live="polite" className="outbox__live" data-testid="outbox-live">
            {t.live(s.attention, s.sync.state === 'running')} {said}
          </p>
          <div className="form__actions">
            <button type="button" aria-disabled={s.counts.failed === 0 || retry.isPending ? true : undefined} onClick={retryAll}>
              {retry.isPending ? t.retrying : t.retryAll}
            </button>
          </div>
        </>
      ) : null}
      {retry.isError ? <p role="alert">{retry.error.message}</p> : null}
      <FilterChoice value={filter} onChange={setFilter} />
      {list.isError ? <p role="alert">{list.error.message}</p> : null}
      {list.data !== undefined ? <Items items={list.data.items} filter={filter} onRetry={retryOne} busy={retry.isPending} /> : list.isPending ? <p>{fr.loading}</p> : null}
    </Screen>
  );
}

/** Sandbox or not, and where the documents go (or that they wait for an address). */
function Mode({ summary }: { summary: OutboxSummary }) {
  return (
    <>
      {summary.dmp.sandbox ? (
        <p className="warning" data-testid="outbox-sandbox">
          {t.sandbox}
        </p>
      ) : null}
      {summary.dmp.endpointUrl === null ? (
        <p className="warning" data-testid="outbox-no-endpoint">
          {t.noEndpoint} <a href={dmpSettingsHref}>{t.noEndpointLink}</a>.
        </p>
      ) : (
        <dl className="facts">
          <dt>{t.endpoint}</dt>
          <dd>{summary.dmp.endpointUrl}</dd>
        </dl>
      )}
    </>
  );
}

function Counts({ summary }: { summary: OutboxSummary }) {
  return (
    <>
      <h2 className="outbox__subtitle">
        {t.countsLabel}
      </h2>
      <dl className="outbox__counts">
      {outboxStates.map((state) => (
        <div key={state} data-state={state}>
          <dt>{t.states[state]}</dt>
          <dd>{formatNumber(summary.counts[state] ?? 0)}</dd>
        </div>
      ))}
      </dl>
    </>
  );
}

/** The sync now: its progress while it sends, or when it tries again. */
function Sync({ summary }: { summary: OutboxSummary }) {
  const id = useId();
  const { sync } = summary;
  if (sync.state === 'running') {
    return (
      <div className="outbox__progress">
        <label htmlFor={id}>{t.syncing(sync.done, sync.total)}</label>
        <progress id={id} max={100} value={sync.percent}>
          {t.percent(sync.percent)}
        </progress>
        <span aria-hidden="true">{t.percent(sync.percent)}</span>
      </div>
    );
  }
  if (sync.state === 'retrying') {
    return (
      <p className="outbox__retrying" data-testid="outbox-next-run">
        {sync.nextRunAt !== null ? t.nextRun(sync.nextRunAt) : null}
        {sync.lastError !== null ? <span className="muted"> — {t.lastError(sync.lastError)}</span> : null}
      </p>
    );
  }
  return sync.lastError !== null ? <p className="muted">{t.lastError(sync.lastError)}</p> : null;
}

function FilterChoice({ value, onChange }: { value: Filter; onChange: (filter: Filter) => void }) {
  const name = useId();
  return (
    <fieldset className="outbox__filter">
      <legend>{t.filter.legend}</legend>
      {filters.map((f) => (
        <label key={f}>
          <input type="radio" name={name} value={f} checked={value === f} onChange={() => onChange(f)} />
          {t.filter[f]}
        </label>
      ))}
    </fieldset>
  );
}

function Items({ items, filter, onRetry, busy }: { items: readonly OutboxItem[]; filter: Filter; onRetry: (item: OutboxItem) => void; busy: boolean }) {
  if (items.length === 0) return <p className="muted">{t.empty[filter]}</p>;
  const sorted = [...items].sort((a, b) => b.id - a.id);
  return (
    <table className="outbox__table">
      <caption>{t.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.columns.rx}</th>
          <th scope="col">{t.columns.patient}</th>
          <th scope="col">{t.columns.destination}</th>
          <th scope="col">{t.columns.action}</th>
          <th scope="col">{t.columns.state}</th>
          <th scope="col">{t.columns.retry}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((item) => (
          <tr key={item.id} data-outbox={item.id} data-rx={item.rxId} data-destination={item.destination} data-state={item.state}>
            <th scope="row">
              <a href={prescriptionHref(item.prescriptionId)}>{item.rxId}</a>
            </th>
            <td>
              <a href={patientHref(item.patient.id)}>{item.patient.name}</a>
            </td>
            <td>{t.destinations[item.destination]}</td>
            <td>{t.actions[item.action]}</td>
            <td className={`outbox__state outbox__state--${item.state}`} data-field="state">
              {outboxStateText(item)}
            </td>
            <td>
              {item.state === 'failed' || item.state === 'dead' ? (
                <button type="button" className="secondary" aria-label={t.retryRow(item.rxId)} aria-disabled={busy ? true : undefined} onClick={() => onRetry(item)}>
                  {t.retry}
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
