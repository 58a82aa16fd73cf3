/**
 * The prescription screen: the patient in the header, the lines (each with its French rendering
 * and its checks), the drug picker that adds the next line, every check with its level and reason,
 * the GP's overrides, favourites and « Vérifier et signer ». The draft lives in a DraftSession
 * (session.ts): every change is saved, and the screen only shows and edits it.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { formatDate, isoDay } from '../../../shared/domain/dates';
import { displayName } from '../../../shared/domain/patient-names';
import type { PatientRecord } from '../../../shared/domain/patient-record';
import type { Check } from '../../../shared/domain/prescription';
import type { Draft } from '../../../shared/calls/prescriptions';
import { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { queryClient, useAction, useCall } from '../../app/queries';
import { go, hrefOf, patientHref } from '../../app/router';
import { Screen } from '../../components/Screen';
import { formatDateTime } from '../../i18n/dates';
import { fr } from '../../i18n/fr';
import { DrugPicker, type DrugPickerHandle } from './DrugPicker';
import { LineEditor, type LineActions } from './LineEditor';
import { PrintButton } from './PrintButton';
import { lastDraftId, rememberDraft, sessionFor, type DraftSession, type ServerView, type SessionState } from './session';
import './prescriptions.css';

const t = fr.prescriptions;
const tp = fr.patients;

const decimal = (v: number) => tp.decimal(v);

/** The patient facts a prescription depends on, always in sight while writing. */
function PatientHeader({ p, today }: { p: PatientRecord; today: string }) {
  const h = t.header;
  const ald = p.conditions.filter((c) => c.ald);
  const rows: [string, string][] = [
    [h.age, tp.age(p.birthDate, today)],
    [h.weight, p.weight === null ? h.notSet : h.measured(decimal(p.weight.value), 'kg', formatDate(p.weight.measuredOn))],
    [h.clearance, p.creatinineClearance === null ? h.notSetFeminine : h.measured(decimal(p.creatinineClearance.value), 'mL/min', formatDate(p.creatinineClearance.measuredOn))],
    [
      h.allergies,
      p.allergies.length === 0
        ? h.noneSet
        : p.allergies.map((a) => `${a.substance}${a.kind === 'intolerance' ? ` (${h.intolerance})` : ''}${a.reaction !== '' ? ` : ${a.reaction}` : ''}`).join(' ; '),
    ],
    [h.ald, ald.length === 0 ? h.noneSet : ald.map((c) => c.label).join(' ; ')],
  ];
  if (p.sex !== 'M') {
    rows.push([h.pregnancy, p.pregnancy === null ? fr.patients.page.no : h.pregnantSince(formatDate(p.pregnancy.startedOn))]);
    rows.push([h.breastfeeding, p.breastfeeding === null ? fr.patients.page.no : h.breastfeedingSince(formatDate(p.breastfeeding.since))]);
  }
  return (
    <section className="rx-patient" aria-label={h.label}>
      <p className="rx-patient__name">
        <strong>{displayName(p)}</strong> — {tp.sexShort[p.sex]}, {formatDate(p.birthDate)}
      </p>
      <dl className="rx-patient__facts">
        {rows.map(([term, value]) => (
          <div key={term} className={term === h.allergies && p.allergies.length > 0 ? 'rx-patient__fact rx-patient__fact--alert' : 'rx-patient__fact'}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function SaveStatusLine({ state, session }: { state: SessionState; session: DraftSession }) {
  const s = state.status;
  const text =
    s.kind === 'saved'
      ? t.status.saved
      : s.kind === 'saving'
        ? t.status.saving
        : s.kind === 'invalid'
          ? t.status.invalid
          : s.kind === 'error'
            ? t.status.error(s.message, s.retrying)
            : s.message;
  const problem = s.kind === 'error' || s.kind === 'conflict' || s.kind === 'gone';
  return (
    <div className={problem ? 'rx-status rx-status--problem' : 'rx-status'}>
      <p role={problem ? 'alert' : 'status'} data-save-status={s.kind}>
        {text}
      </p>
      {s.kind === 'conflict' ? (
        <button type="button" className="secondary" onClick={() => void session.reload()}>
          {t.status.reload}
        </button>
      ) : null}
    </div>
  );
}

/** The override form of one check: a written reason, at least 5 characters. */
function OverrideForm({ check, current, onSubmit, onCancel }: { check: Check; current: string; onSubmit: (reason: string) => void; onCancel: () => void }) {
  const id = useId();
  const [reason, setReason] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (reason.trim().length < 5) {
      setError(t.checks.reasonTooShort);
      return;
    }
    onSubmit(reason.trim());
  };
  return (
    <div className="rx-override" role="group" aria-label={`${t.checks.override} : ${check.message}`}>
      <label htmlFor={id}>{t.checks.overrideReason}</label>
      <textarea
        id={id}
        rows={2}
        maxLength={500}
        value={reason}
        autoFocus
        onChange={(event) => {
          setReason(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          }
        }}
        aria-invalid={error !== null ? true : undefined}
        aria-describedby={error !== null ? `${id}-error` : undefined}
      />
      {error !== null ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
      <div className="form__actions">
        <button type="button" onClick={submit}>
          {t.checks.overrideSubmit}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t.checks.overrideCancel}
        </button>
      </div>
    </div>
  );
}

/** Every check of the draft, most severe first, with the rule sets it was made with. */
function ChecksPanel({ state, session, editable }: { state: SessionState; session: DraftSession; editable: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  const server = state.server;
  if (server === null) return null;
  const checks = server.checks;
  const lineNumbers = (c: Check) => c.lines.map((i) => i + 1);
  return (
    <section className="rx-checks" aria-labelledby="rx-checks-title">
      <h2 id="rx-checks-title">{t.checks.title}</h2>
      {checks.length === 0 ? <p className="muted">{state.lines.length === 0 ? t.checks.pending : t.checks.none}</p> : null}
      <ul className="rx-checks__list">
        {checks.map((c) => {
          const standing = c.blocking && c.override === null;
          return (
            <li key={c.id} className={`check check--${c.level}${c.override !== null ? ' check--overridden' : ''}`} data-check={c.kind} data-level={c.level}>
              <p>
                <strong className="check__level">{t.checks.levels[c.level]}</strong>
                {standing ? <span className="badge check__blocking">{t.checks.blocking}</span> : null} <span className="check__lines">({t.checks.lines(lineNumbers(c))})</span> {c.message}
              </p>
              <p className="check__source">{t.checks.source(c.source)}</p>
              {c.override !== null ? <p className="check__override">{t.checks.overridden(c.override.reason)}</p> : null}
              {editable && c.overridable ? (
                open === c.id ? (
                  <OverrideForm
                    check={c}
                    current={state.overrides.get(c.id) ?? ''}
                    onSubmit={(reason) => {
                      session.setOverride(c.id, reason);
                      setOpen(null);
                    }}
                    onCancel={() => setOpen(null)}
                  />
                ) : (
                  <div className="form__actions">
                    <button type="button" className="secondary" onClick={() => setOpen(c.id)} aria-label={`${t.checks.override} : ${c.message}`}>
                      {c.override !== null ? t.checks.overrideSubmit : t.checks.override}
                    </button>
                    {state.overrides.has(c.id) ? (
                      <button type="button" className="secondary" onClick={() => session.setOverride(c.id, null)}>
                        {t.checks.withdraw}
                      </button>
                    ) : null}
                  </div>
                )
              ) : c.blocking && !c.overridable ? (
                <p className="check__must">{t.checks.mustFix}</p>
              ) : null}
            </li>
          );
        })}
      </ul>
      <p className="rx-rulesets" data-rule-sets>
        {t.checks.ruleSets(server.ruleSets.map((r) => t.checks.ruleSet(r.name, r.version, r.coverage, r.partial)).join(' ; '))}
      </p>
    </section>
  );
}

/** « Vérifier et signer »: everything saved, then what still stands in the way. */
/** « Annuler l’ordonnance… »: the reason (at least 5 characters), then « Confirmer l’annulation » or « Garder l’ordonnance ». */
function CancelForm({ id, onCancelled, onKeep }: { id: number; onCancelled: (draft: Draft) => void; onKeep: () => void }) {
  const fieldId = useId();
  const cancel = useAction('prescriptions.cancel');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (cancel.isPending) return;
    if (Array.from(reason.trim()).length < 5) {
      setError(t.cancel.reasonTooShort);
      return;
    }
    setError(null);
    try {
      onCancelled(await cancel.mutateAsync({ id, reason: reason.trim() }));
    } catch (e) {
      setError(t.cancel.failed(e instanceof OrdoError ? e.message : String(e)));
    }
  };
  return (
    <div className="rx-cancel" role="group" aria-labelledby={`${fieldId}-title`}>
      <h3 id={`${fieldId}-title`}>{t.cancel.title}</h3>
      <p className="muted">{t.cancel.explain}</p>
      <label htmlFor={fieldId}>{t.cancel.reason}</label>
      <input
        id={fieldId}
        type="text"
        value={reason}
        maxLength={500}
        autoFocus
        onChange={(event) => {
          setReason(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onKeep();
          }
        }}
        aria-invalid={error !== null ? true : undefined}
        aria-describedby={error !== null ? `${fieldId}-error` : undefined}
      />
      {error !== null ? (
        <p id={`${fieldId}-error`} className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form__actions">
        <button type="button" className="danger" disabled={cancel.isPending} onClick={() => void submit()}>
          {cancel.isPending ? t.cancel.cancelling : t.cancel.confirm}
        </button>
        <button type="button" className="secondary" onClick={onKeep}>
          {t.cancel.keep}
        </button>
      </div>
    </div>
  );
}

/** What signing made: the legal id, the date, the signed code (printed as a QR with the PDF, next); its cancellation, or the way to it. */
function SignedFacts({ signature, server, session }: { signature: NonNullable<Draft['signature']>; server: ServerView; session: DraftSession }) {
  const cancellation = server.cancellation;
  const [cancelling, setCancelling] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const cancelled = useRef<HTMLParagraphElement>(null);
  return (
    <section className="rx-signed" aria-labelledby="rx-signed-title">
      <h2 id="rx-signed-title">{t.sign.signedTitle}</h2>
      {cancellation !== null ? (
        <>
          <p ref={cancelled} className="warning rx-signed__cancelled" data-field="cancellation" tabIndex={-1}>
            {t.cancel.done(formatDateTime(cancellation.at), cancellation.reason)}
          </p>
          <p className="muted">{t.cancel.correct}</p>
        </>
      ) : null}
      <dl>
        <dt>{t.sign.rxId}</dt>
        <dd data-field="rx-id">{signature.rxId}</dd>
        <dt>{t.sign.signedAt}</dt>
        <dd>{formatDateTime(signature.signedAt)}</dd>
        <dt>{t.sign.qr}</dt>
        <dd>
          <code data-field="qr-payload">{signature.qrPayload}</code>
        </dd>
      </dl>
      {server.state === 'signed' ? <PrintButton id={session.id} /> : null}
      {server.state !== 'signed' ? null : cancelling ? (
        <CancelForm
          id={session.id}
          onCancelled={(draft) => {
            session.receive(draft);
            setCancelling(false);
            // The form goes: the focus goes to what replaced it, which a screen reader then reads.
            requestAnimationFrame(() => cancelled.current?.focus());
          }}
          onKeep={() => {
            setCancelling(false);
            requestAnimationFrame(() => opener.current?.focus());
          }}
        />
      ) : (
        <div className="form__actions">
          <button ref={opener} type="button" className="secondary danger" onClick={() => setCancelling(true)}>
            {t.cancel.button}
          </button>
        </div>
      )}
    </section>
  );
}

function SignPanel({ state, session, onClose, onSigned }: { state: SessionState; session: DraftSession; onClose: () => void; onSigned: (rxId: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  // One request per opening of the panel: a double press or a retry after a lost answer signs once.
  const requestId = useRef(crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const signNow = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const signed = await session.sign(requestId.current);
      onSigned(signed.signature?.rxId ?? '');
    } catch (e) {
      setFailure(t.sign.failed(e instanceof OrdoError ? e.message : String(e)));
      setBusy(false);
    }
  };
  const server = state.server;
  const problems: string[] = [];
  if (state.lines.length === 0) problems.push(t.sign.empty);
  state.lines.forEach((l, i) => {
    if (state.errors.has(l.key)) problems.push(t.sign.unreadable(i + 1));
  });
  if (state.status.kind === 'error' || state.status.kind === 'conflict' || state.status.kind === 'gone') problems.push(t.sign.unsaved(state.status.message));
  const standing = (server?.checks ?? []).filter((c) => c.blocking && c.override === null);
  const ready = problems.length === 0 && standing.length === 0 && server?.readyToSign === true;
  return (
    <div
      ref={ref}
      className={ready ? 'rx-sign rx-sign--ready' : 'rx-sign'}
      role="region"
      aria-labelledby="rx-sign-title"
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <h2 id="rx-sign-title">{t.sign.title}</h2>
      <div role="alert">
        {failure !== null ? <p>{failure}</p> : null}
        {ready ? (
          <p>{t.sign.ready}</p>
        ) : (
          <>
            <p>{t.sign.blocked}</p>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
              {standing.map((c) => (
                <li key={c.id}>
                  {t.checks.levels[c.level]} : {c.message}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {ready ? (
        <button type="button" disabled={busy} onClick={() => void signNow()}>
          {busy ? t.sign.signing : t.sign.signNow}
        </button>
      ) : null}
      <button type="button" className="secondary" onClick={onClose}>
        {t.discard.no}
      </button>
    </div>
  );
}

/** The name prompt of « Enregistrer comme favori » (a line, or the whole prescription). */
function FavouritePrompt({ onSave, onCancel, initial }: { onSave: (name: string) => Promise<void>; onCancel: () => void; initial: string }) {
  const id = useId();
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (name.trim() === '') {
      setError(fr.prescriptions.favourites.name);
      return;
    }
    setBusy(true);
    try {
      await onSave(name.trim());
    } catch (e) {
      setError(e instanceof OrdoError ? e.message : String(e));
      setBusy(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      void save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };
  return (
    <div className="rx-favourite" role="group" aria-label={t.favourites.name}>
      <label htmlFor={id}>{t.favourites.name}</label>
      <input id={id} type="text" value={name} maxLength={100} autoFocus onChange={(e) => setName(e.target.value)} onKeyDown={onKeyDown} aria-invalid={error !== null ? true : undefined} />
      {error !== null ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form__actions">
        <button type="button" disabled={busy} onClick={() => void save()}>
          {t.favourites.save}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t.favourites.cancel}
        </button>
      </div>
    </div>
  );
}

function Shortcuts() {
  return (
    <section className="rx-shortcuts" aria-labelledby="rx-shortcuts-title">
      <h2 id="rx-shortcuts-title">{t.shortcuts.title}</h2>
      <dl>
        {t.shortcuts.list.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Focus a field of a line once React has drawn it (a new line, the next line). */
function focusLineField(key: string, field: string) {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(`[data-line="${CSS.escape(key)}"] [data-field="${field}"]`);
    el?.focus();
    if (el instanceof HTMLInputElement) el.select();
  });
}

function Editor({ session, patient }: { session: DraftSession; patient: PatientRecord }) {
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const picker = useRef<DrugPickerHandle>(null);
  const [signing, setSigning] = useState(false);
  const [favouriteFor, setFavouriteFor] = useState<string | null>(null); // a line's key, or 'prescription'
  const [notice, setNotice] = useState<{ text: string; seq: number } | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const today = isoDay(new Date());
  const server = state.server;
  const editable = session.editable;
  const aldOffered = patient.conditions.some((c) => c.ald);
  const say = useCallback((text: string) => setNotice((n) => ({ text, seq: (n?.seq ?? 0) + 1 })), []);

  const actions: LineActions = useMemo(
    () => ({
      update: session.update,
      next: () => picker.current?.focus(),
      move: (key, delta) => {
        if (session.move(key, delta)) {
          const index = session.getSnapshot().lines.findIndex((l) => l.key === key);
          say(t.lines.moved(index + 1));
          focusLineField(key, 'dose');
        }
      },
      remove: (key) => {
        const line = session.getSnapshot().lines.find((l) => l.key === key);
        session.remove(key);
        if (line !== undefined) say(t.lines.removed(line.kind === 'free' ? line.text || t.lines.freeLabel : line.label));
        picker.current?.focus();
      },
      saveFavourite: (key) => {
        if (session.lineToSave(key) === null) say(t.favourites.unreadableLine);
        else setFavouriteFor(key);
      },
    }),
    [session, say],
  );

  const openSign = useCallback(async () => {
    session.flush();
    await session.settled();
    setSigning(true);
  }, [session]);

  // Screen-wide shortcuts (listed on screen): Ctrl+L the picker, Ctrl+K the favourites, Ctrl+Entrée signing.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!event.ctrlKey || event.altKey) return;
      if (event.key === 'Enter') {
        event.preventDefault();
        void openSign();
      } else if (event.key === 'l' || event.key === 'L') {
        event.preventDefault();
        picker.current?.focus();
      } else if (event.key === 'k' || event.key === 'K') {
        event.preventDefault();
        picker.current?.openFavourites();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openSign]);

  const saveFavourite = async (name: string) => {
    const lines = favouriteFor === 'prescription' ? session.linesToSave() : favouriteFor === null ? [] : [session.lineToSave(favouriteFor)].filter((l) => l !== null);
    if (lines.length === 0) {
      say(t.favourites.nothing);
      setFavouriteFor(null);
      return;
    }
    await call('favourites.save', { name, kind: favouriteFor === 'prescription' ? 'prescription' : 'line', lines });
    await queryClient.invalidateQueries({ queryKey: ['favourites.list'] });
    const key = favouriteFor;
    setFavouriteFor(null);
    say(t.favourites.saved(name));
    if (key !== 'prescription' && key !== null) focusLineField(key, 'favourite');
  };

  const prompt = (key: string) =>
    favouriteFor === key ? (
      <FavouritePrompt
        initial={state.lines.find((l) => l.key === key)?.label ?? ''}
        onSave={saveFavourite}
        onCancel={() => {
          setFavouriteFor(null);
          focusLineField(key, 'favourite');
        }}
      />
    ) : null;

  const discard = async () => {
    try {
      await session.discard();
      go(patientHref(patient.id));
    } catch (error) {
      say(t.discard.failed(error instanceof OrdoError ? error.message : String(error)));
    }
  };

  const readOnly = !editable;
  const announcement = state.announcement;
  return (
    <>
      <PatientHeader p={patient} today={today} />
      <div className="form__actions rx-nav">
        <a href={patientHref(patient.id)}>{t.backToPatient}</a>
        <a href={hrefOf('prescribe')} onClick={() => rememberDraft(null)}>
          {t.otherPatient}
        </a>
      </div>
      {server?.renewalOf !== null && server?.renewalOf !== undefined ? <p className="muted">{t.renewalOf(formatDate(server.createdAt.slice(0, 10)))}</p> : null}
      {server !== null && server.state !== 'draft' ? <p className="warning">{t.readOnly[server.state]}</p> : null}
      {server?.signature != null ? <SignedFacts signature={server.signature} server={server} session={session} /> : null}
      <SaveStatusLine state={state} session={session} />
      {/* What a screen reader hears: new checks after a save, lines added, moved, removed. */}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement !== null ? <span key={`a${announcement.seq}`}>{announcement.text}</span> : null}
        {notice !== null ? <span key={`n${notice.seq}`}> {notice.text}</span> : null}
      </p>
      <div className="rx-layout">
        <div className="rx-main">
          <section aria-labelledby="rx-lines-title">
            <h2 id="rx-lines-title">{t.lines.title}</h2>
            {state.lines.length === 0 ? <p className="muted">{t.lines.none}</p> : null}
            <ol className="rx-lines">
              {state.lines.map((line, index) => (
                <LineEditor
                  key={line.key}
                  line={line}
                  index={index}
                  stored={server?.lines.get(line.key)}
                  checks={server?.checksByKey.get(line.key)}
                  errors={state.errors.get(line.key)}
                  aldOffered={aldOffered}
                  birthDate={patient.birthDate}
                  today={today}
                  readOnly={readOnly}
                  actions={actions}
                  favouritePrompt={prompt(line.key)}
                />
              ))}
            </ol>
          </section>
          {readOnly ? null : (
            <section className="rx-add" aria-label={t.picker.label}>
              <DrugPicker
                ref={picker}
                disabled={readOnly}
                onDrug={(drug) => {
                  const key = session.addDrug({ cis: drug.cis, name: drug.name, form: drug.form, dciLabel: drug.dciLabel, flags: drug.flags });
                  say(t.lines.added(drug.dciLabel));
                  focusLineField(key, 'dose');
                }}
                onFavourite={(favourite) => {
                  const keys = session.addFavourite(favourite);
                  say(t.favourites.inserted(favourite.name, keys.length));
                  const last = keys[keys.length - 1];
                  if (last !== undefined) focusLineField(last, 'dose');
                }}
              />
              <div className="form__actions">
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    const key = session.addFree();
                    focusLineField(key, 'text');
                  }}
                >
                  {t.freeLine}
                </button>
                <button type="button" className="secondary" onClick={() => setFavouriteFor('prescription')} disabled={state.lines.length === 0}>
                  {t.favourites.savePrescription}
                </button>
              </div>
              {favouriteFor === 'prescription' ? <FavouritePrompt initial="" onSave={saveFavourite} onCancel={() => setFavouriteFor(null)} /> : null}
            </section>
          )}
          <div className="form__actions rx-actions">
            {readOnly ? null : (
              <button type="button" onClick={() => void openSign()} aria-keyshortcuts="Control+Enter">
                {t.sign.button}
              </button>
            )}
            {readOnly || server?.state !== 'draft' ? null : confirmDiscard ? (
              <span role="group" aria-label={t.discard.confirm}>
                <span>{t.discard.confirm} </span>
                <button type="button" className="danger" onClick={() => void discard()}>
                  {t.discard.yes}
                </button>
                <button type="button" className="secondary" onClick={() => setConfirmDiscard(false)}>
                  {t.discard.no}
                </button>
              </span>
            ) : (
              <button type="button" className="secondary danger" onClick={() => setConfirmDiscard(true)}>
                {t.discard.button}
              </button>
            )}
          </div>
          {signing ? (
            <SignPanel
              state={state}
              session={session}
              onClose={() => {
                setSigning(false);
                picker.current?.focus();
              }}
              onSigned={(rxId) => {
                setSigning(false);
                say(t.sign.signed(rxId));
              }}
            />
          ) : null}
        </div>
        <aside className="rx-side">
          <ChecksPanel state={state} session={session} editable={editable} />
          <Shortcuts />
        </aside>
      </div>
    </>
  );
}

/** `#/prescribe/<id>`: one prescription, its patient read alongside. */
export function PrescriptionScreen({ id }: { id: number }) {
  const session = sessionFor(id);
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const draft = useCall('prescriptions.get', { id });

  useEffect(() => {
    if (draft.data !== undefined) session.receive(draft.data);
    else if (draft.isError) session.failed(draft.error.message);
  }, [session, draft.data, draft.isError, draft.error]);

  useEffect(() => {
    rememberDraft(id);
    const onHide = () => session.flush();
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      session.flush();
    };
  }, [id, session]);

  const patientId = state.server?.patientId ?? draft.data?.patientId;
  if (state.phase === 'failed' || draft.isError) {
    if (lastDraftId() === id) rememberDraft(null);
    return (
      <Screen title={t.choose.title}>
        <p role="alert">{state.loadError ?? draft.error?.message}</p>
        <a href={hrefOf('prescribe')}>{t.otherPatient}</a>
      </Screen>
    );
  }
  if (patientId === undefined || state.phase === 'loading') return <p className="loading">{fr.loading}</p>;
  return <WithPatient session={session} patientId={patientId} />;
}

function WithPatient({ session, patientId }: { session: DraftSession; patientId: number }) {
  const patient = useCall('patients.get', { id: patientId });
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);
  if (patient.isPending) return <p className="loading">{fr.loading}</p>;
  if (patient.isError) return <p role="alert">{patient.error.message}</p>;
  const title = state.server?.state === 'draft' ? t.title(displayName(patient.data)) : t.readOnlyTitle(displayName(patient.data));
  return (
    <Screen title={title}>
      <Editor session={session} patient={patient.data} />
    </Screen>
  );
}
