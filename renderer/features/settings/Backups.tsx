import { useEffect, useId, useRef, useState } from 'react';
import type { BackupInfo, BackupList } from '../../../shared/calls/backup';
import { useAction, useCall } from '../../app/queries';
import { backupsFr as t, formatSize } from '../../i18n/backups';
import { formatDateTime } from '../../i18n/dates';
import { fr } from '../../i18n/fr';
import './backups.css';

/** Réglages → Sauvegardes: the last backup, where they are, one now, and the list to restore from. */
export function Backups() {
  const list = useCall('backup.list', {});
  const create = useAction('backup.create');
  const titleId = useId();
  const data = list.data;
  return (
    <section aria-labelledby={titleId} className="backups">
      <h2 id={titleId}>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      {list.isError ? <p role="alert">{list.error.message}</p> : null}
      {data === undefined ? (
        list.isPending ? <p>{fr.loading}</p> : null
      ) : (
        <>
          <dl className="facts">
            <dt>{t.last}</dt>
            <dd data-testid="last-backup">{data.last === null ? t.none : t.lastValue(formatDateTime(data.last.createdAt), formatSize(data.last.size))}</dd>
            <dt>{t.folder}</dt>
            <dd>{data.folder}</dd>
          </dl>
          {data.lastFailure !== null ? (
            <p role="alert" className="warning">
              {t.failure(formatDateTime(data.lastFailure.at), data.lastFailure.message)}
            </p>
          ) : null}
          <div className="form__actions">
            <button type="button" onClick={() => create.mutate({})} disabled={create.isPending}>
              {create.isPending ? t.creating : t.create}
            </button>
            <span role="status" className="form__status">
              {create.isSuccess ? t.created(create.data.name) : ''}
            </span>
          </div>
          {create.isError ? <p role="alert">{create.error.message}</p> : null}
          <BackupTable list={data} />
        </>
      )}
    </section>
  );
}

/** The backups as a table, each with « Restaurer… », which asks for confirmation in a dialog. */
export function BackupTable({ list }: { list: BackupList }) {
  const [chosen, setChosen] = useState<BackupInfo | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (list.backups.length === 0) return <p>{t.empty}</p>;
  return (
    <>
      <table className="backups__table">
        <caption>{t.listCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.columns.date}</th>
            <th scope="col">{t.columns.kind}</th>
            <th scope="col">{t.columns.size}</th>
            <th scope="col">{t.columns.check}</th>
            <th scope="col">{t.columns.action}</th>
          </tr>
        </thead>
        <tbody>
          {list.backups.map((b) => (
            <tr key={b.name}>
              <th scope="row">{formatDateTime(b.createdAt)}</th>
              <td>{t.kinds[b.kind]}</td>
              <td>{formatSize(b.size)}</td>
              <td>{t.check[b.check]}</td>
              <td>
                <button type="button" className="secondary" aria-label={t.restoreLabel(formatDateTime(b.createdAt), t.kinds[b.kind])} onClick={() => setChosen(b)}>
                  {t.restore}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status" className="form__status">
        {done ?? ''}
      </p>
      {chosen !== null ? (
        <ConfirmRestore
          backup={chosen}
          onClose={(message) => {
            setChosen(null);
            if (message !== null) setDone(message);
          }}
        />
      ) : null}
    </>
  );
}

/** A modal dialog (Échap closes it, focus stays inside): « Annuler » has the focus first. */
function ConfirmRestore({ backup, onClose }: { backup: BackupInfo; onClose: (message: string | null) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const restore = useAction('backup.restore');
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    // The safe choice has the focus first in a confirmation that replaces the database.
    cancel.current?.focus();
  }, []);
  const date = formatDateTime(backup.createdAt);
  return (
    <dialog
      ref={dialog}
      className="backups__dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        if (restore.isPending) event.preventDefault();
        else onClose(null);
      }}
    >
      <h2 id={titleId}>{t.confirm.title}</h2>
      <p id={bodyId}>{t.confirm.body(date)}</p>
      {restore.isError ? <p role="alert">{restore.error.message}</p> : null}
      <div className="form__actions">
        <button
          type="button"
          disabled={restore.isPending}
          onClick={() =>
            restore.mutate(
              { name: backup.name, confirmed: true },
              {
                onSuccess: (result) => {
                  dialog.current?.close();
                  onClose(t.restored(result.restored, result.keptAside));
                },
              },
            )
          }
        >
          {restore.isPending ? t.confirm.running : t.confirm.confirm}
        </button>
        <button
          ref={cancel}
          type="button"
          className="secondary"
          disabled={restore.isPending}
          onClick={() => {
            dialog.current?.close();
            onClose(null);
          }}
        >
          {t.confirm.cancel}
        </button>
      </div>
    </dialog>
  );
}
