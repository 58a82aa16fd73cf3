/**
 * One draft being written: the lines as the GP types them, and the autosave. Kept outside React
 * (a store read with useSyncExternalStore) so that a save keeps going when the screen is left, and
 * so that a keystroke re-renders only the line it changed.
 *
 * The autosave sends the whole lines and overrides after every change, one save at a time: while
 * one is in flight, later changes wait and the latest state goes next (nothing is debounced, so
 * nothing is lost to a timer). Each answer brings the new version, the lines' French rendering,
 * their frozen copies and the checks; the fields stay as the GP typed them. A journal in
 * localStorage holds what the server has not confirmed yet, so a reload or a closed window loses
 * nothing: at the next opening it is sent again when the server still holds the version it was
 * written against (or the save that was in flight, and nothing else).
 */
import type { Draft, DraftLine, Favourite } from '../../../shared/calls/prescriptions';
import type { Check, Line, RuleSet } from '../../../shared/domain/prescription';
import { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { queryClient } from '../../app/queries';
import { fr } from '../../i18n/fr';
import { canonical, lineOfState, newDrugLine, newFreeLine, stateOfDraftLine, statesOfFavourite, type LineErrors, type LineField, type LineState } from './model';

const t = fr.prescriptions;

export interface Snapshot {
  lines: Line[];
  overrides: { checkId: string; reason: string }[];
}

export type SaveStatus =
  | { kind: 'saved' }
  | { kind: 'saving' }
  /** Some fields cannot be read: the rest is saved, those lines keep their last saved value. */
  | { kind: 'invalid' }
  | { kind: 'error'; message: string; retrying: boolean }
  | { kind: 'conflict'; message: string }
  | { kind: 'gone'; message: string };

export interface ServerView {
  version: number;
  state: Draft['state'];
  patientId: number;
  createdAt: string;
  updatedAt: string;
  renewalOf: number | null;
  /** What the server stored of each line, by key: its rendering and frozen copy. */
  lines: ReadonlyMap<string, DraftLine>;
  checks: readonly Check[];
  /** The checks of each line, by key (a check names lines by their index in the save). */
  checksByKey: ReadonlyMap<string, readonly Check[]>;
  ruleSets: readonly RuleSet[];
  readyToSign: boolean;
  /** Once signed: its id and its QR code. */
  signature: Draft['signature'];
  /** Once cancelled: why and when. */
  cancellation: Draft['cancellation'];
}

export interface SessionState {
  phase: 'loading' | 'ready' | 'failed';
  loadError: string | null;
  lines: readonly LineState[];
  /** checkId → the GP's reason (« Passer outre »). */
  overrides: ReadonlyMap<string, string>;
  server: ServerView | null;
  status: SaveStatus;
  /** Fields that cannot be read, by line key (as typed) or refused by the server. */
  errors: ReadonlyMap<string, LineErrors>;
  /** What the screen reader hears after a save brought new checks. */
  announcement: { text: string; seq: number } | null;
}

interface Journal {
  version: number;
  sent: Snapshot | null;
  lines: LineState[];
  overrides: [string, string][];
}

const journalKey = (id: number) => `ordo.draft.${id}`;
const LAST_DRAFT = 'ordo.lastDraft';
const RETRY_MS = 3000;

/** The draft Prescrire reopens: the last one the GP had open. */
export function lastDraftId(): number | null {
  const value = Number(localStorage.getItem(LAST_DRAFT));
  return Number.isInteger(value) && value > 0 ? value : null;
}
export function rememberDraft(id: number | null): void {
  if (id === null) localStorage.removeItem(LAST_DRAFT);
  else localStorage.setItem(LAST_DRAFT, String(id));
}

function readJournal(id: number): Journal | null {
  try {
    const raw = localStorage.getItem(journalKey(id));
    if (raw === null) return null;
    const j = JSON.parse(raw) as Journal;
    const valid = Number.isInteger(j.version) && Array.isArray(j.lines) && Array.isArray(j.overrides) && j.lines.every((l) => typeof l.key === 'string' && (l.kind === 'drug' || l.kind === 'free'));
    return valid ? j : null;
  } catch {
    return null;
  }
}

const snapshotOfDraft = (d: Draft): Snapshot => ({ lines: d.lines.map((l) => l.line), overrides: d.overrides.map((o) => ({ checkId: o.checkId, reason: o.reason })) });

/** The French count of new checks: « 1 contre-indication, 2 précautions d’emploi ». */
export function summariseChecks(checks: readonly Check[]): string {
  const counts = new Map<Check['level'], number>();
  for (const c of checks) counts.set(c.level, (counts.get(c.level) ?? 0) + 1);
  return [...counts].map(([level, n]) => t.levelCount[level](n)).join(', ');
}

/** The same list when nothing changed, so the lines it is passed to do not render again. */
function sameOr<T>(previous: T | undefined, next: T): T {
  return previous !== undefined && canonical(previous) === canonical(next) ? previous : next;
}

export class DraftSession {
  private state: SessionState = { phase: 'loading', loadError: null, lines: [], overrides: new Map(), server: null, status: { kind: 'saved' }, errors: new Map(), announcement: null };
  private readonly listeners = new Set<() => void>();
  private version = 0;
  private inFlight = false;
  private pending = false;
  private stopped = false;
  private lastSent: string | null = null;
  /** The snapshot in flight, for the journal. */
  private sending: Snapshot | null = null;
  private serverErrors = new Map<string, LineErrors>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Per line state, its conversion (the same object while the line is untouched). */
  private readonly converted = new WeakMap<LineState, ReturnType<typeof lineOfState>>();
  /** Each line's last value that could be saved: sent while its fields cannot be read. */
  private readonly lastValid = new Map<string, Line>();
  private announceSeq = 0;

  constructor(readonly id: number) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getSnapshot = (): SessionState => this.state;

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  get editable(): boolean {
    return this.state.server?.state === 'draft' && this.state.status.kind !== 'conflict' && this.state.status.kind !== 'gone';
  }

  // ---- what the server says

  /** A draft read by the screen (first opening, or refetched after the patient's record changed). */
  receive(draft: Draft): void {
    if (this.state.phase !== 'ready') {
      this.start(draft);
      return;
    }
    if (this.inFlight || this.pending || draft.version < this.version) return;
    if (draft.version === this.version) {
      this.adoptView(draft, draft.lines.map((l) => l.line.key));
      return;
    }
    // Written by someone else since this window's last save.
    this.set({ status: { kind: 'conflict', message: t.status.elsewhere } });
  }

  failed(message: string): void {
    if (this.state.phase === 'loading') this.set({ phase: 'failed', loadError: message });
  }

  private start(draft: Draft): void {
    this.version = draft.version;
    this.stopped = false;
    let lines = draft.lines.map(stateOfDraftLine);
    let overrides = new Map(draft.overrides.map((o) => [o.checkId, o.reason]));
    const journal = draft.state === 'draft' ? readJournal(this.id) : null;
    let replay = false;
    if (journal !== null) {
      const onServer = canonical(snapshotOfDraft(draft));
      const sentMadeIt = draft.version === journal.version + 1 && journal.sent !== null && canonical(journal.sent) === onServer;
      if (draft.version === journal.version || sentMadeIt) {
        lines = journal.lines;
        overrides = new Map(journal.overrides);
        replay = true;
      } else {
        this.clearJournal();
      }
    }
    for (const l of draft.lines) this.lastValid.set(l.line.key, l.line);
    this.lastSent = canonical(snapshotOfDraft(draft));
    this.state = { ...this.state, phase: 'ready', loadError: null, lines, overrides, status: { kind: 'saved' } };
    this.adoptView(draft, draft.lines.map((l) => l.line.key), false);
    if (replay) this.changed();
  }

  private adoptView(draft: Draft, keys: readonly string[], announce = true): void {
    const before = this.state.server;
    const byKey = new Map<string, Check[]>();
    for (const c of draft.checks) {
      for (const index of c.lines) {
        const key = keys[index];
        if (key === undefined) continue;
        byKey.set(key, [...(byKey.get(key) ?? []), c]);
      }
    }
    const checksByKey = new Map<string, readonly Check[]>();
    for (const [key, list] of byKey) checksByKey.set(key, sameOr(before?.checksByKey.get(key), list));
    const lines = new Map<string, DraftLine>();
    for (const l of draft.lines) lines.set(l.line.key, sameOr(before?.lines.get(l.line.key), l));
    const server: ServerView = {
      version: draft.version,
      state: draft.state,
      patientId: draft.patientId,
      createdAt: draft.createdAt,
      updatedAt: draft.updatedAt,
      renewalOf: draft.renewalOf,
      lines,
      checks: sameOr(before?.checks, draft.checks),
      checksByKey,
      ruleSets: sameOr(before?.ruleSets, draft.ruleSets),
      readyToSign: draft.readyToSign,
      signature: draft.signature,
      cancellation: draft.cancellation,
    };
    let announcement = this.state.announcement;
    if (announce && before !== null) {
      const known = new Set(before.checks.map((c) => c.id));
      const fresh = draft.checks.filter((c) => !known.has(c.id));
      if (fresh.length > 0) announcement = { text: t.checks.announce(summariseChecks(fresh)), seq: ++this.announceSeq };
    }
    this.set({ server, announcement, errors: this.errorsOf(this.state.lines) });
  }

  // ---- what the GP does

  private edit(lines: readonly LineState[], overrides = this.state.overrides): void {
    if (!this.editable) return;
    this.set({ lines, overrides, errors: this.errorsOf(lines) });
    this.changed();
  }

  update = (key: string, patch: Partial<LineState>): void => {
    this.edit(this.state.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  };

  addDrug(drug: Parameters<typeof newDrugLine>[1]): string {
    const line = newDrugLine(crypto.randomUUID(), drug);
    this.edit([...this.state.lines, line]);
    return line.key;
  }

  addFree(): string {
    const line = newFreeLine(crypto.randomUUID());
    this.edit([...this.state.lines, line]);
    return line.key;
  }

  addFavourite(f: Favourite): string[] {
    const lines = statesOfFavourite(f, () => crypto.randomUUID());
    this.edit([...this.state.lines, ...lines]);
    return lines.map((l) => l.key);
  }

  remove = (key: string): void => {
    // An override names the lines of its check by key: it goes with the line.
    const overrides = new Map([...this.state.overrides].filter(([checkId]) => !checkId.includes(key)));
    this.edit(
      this.state.lines.filter((l) => l.key !== key),
      overrides,
    );
  };

  move = (key: string, delta: -1 | 1): boolean => {
    const lines = [...this.state.lines];
    const i = lines.findIndex((l) => l.key === key);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= lines.length) return false;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    this.edit(lines);
    return true;
  };

  setOverride = (checkId: string, reason: string | null): void => {
    const overrides = new Map(this.state.overrides);
    if (reason === null) overrides.delete(checkId);
    else overrides.set(checkId, reason.trim());
    this.edit(this.state.lines, overrides);
  };

  /** The line as it would be saved (for « Enregistrer la ligne comme favori »), or null while it cannot be read. */
  lineToSave(key: string): Line | null {
    const s = this.state.lines.find((l) => l.key === key);
    return s === undefined ? null : this.convert(s).line;
  }

  linesToSave(): Line[] {
    return this.state.lines.flatMap((s) => {
      const c = this.convert(s).line;
      return c === null ? [] : [c];
    });
  }

  // ---- the autosave

  private convert(s: LineState) {
    let c = this.converted.get(s);
    if (c === undefined) {
      c = lineOfState(s);
      this.converted.set(s, c);
      if (c.line !== null) this.lastValid.set(s.key, c.line);
    }
    return c;
  }

  private errorsOf(lines: readonly LineState[]): ReadonlyMap<string, LineErrors> {
    const errors = new Map<string, LineErrors>();
    const previous = this.state.errors;
    for (const s of lines) {
      const local = this.convert(s).errors;
      const server = this.serverErrors.get(s.key);
      if (local === null && server === undefined) continue;
      const merged = { ...server, ...local };
      errors.set(s.key, sameOr(previous.get(s.key), merged));
    }
    return errors;
  }

  private snapshot(): Snapshot {
    const lines = this.state.lines.flatMap((s) => {
      const line = this.convert(s).line ?? this.lastValid.get(s.key);
      return line === undefined ? [] : [line];
    });
    return { lines, overrides: [...this.state.overrides].map(([checkId, reason]) => ({ checkId, reason })) };
  }

  private changed(): void {
    this.pending = true;
    this.writeJournal();
    void this.pump();
  }

  /** Sends what is pending now, if nothing is in flight (pagehide, leaving the screen, « Vérifier et signer »). */
  flush = (): void => {
    clearTimeout(this.retryTimer);
    void this.pump();
  };

  /** Resolves once every change is saved (or cannot be: an error, a conflict). */
  settled(): Promise<void> {
    if (!this.inFlight && !this.pending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.inFlight || !this.pending || this.stopped) return;
    this.pending = false;
    const snapshot = this.snapshot();
    const text = canonical(snapshot);
    if (text === this.lastSent) {
      this.finish(this.hasInvalid() ? { kind: 'invalid' } : { kind: 'saved' });
      return;
    }
    this.inFlight = true;
    this.sending = snapshot;
    this.writeJournal();
    if (this.state.status.kind !== 'saving') this.set({ status: { kind: 'saving' } });
    try {
      const draft = await call('prescriptions.save', { id: this.id, version: this.version, lines: snapshot.lines, overrides: snapshot.overrides });
      this.version = draft.version;
      this.sending = null;
      this.lastSent = text;
      this.serverErrors = new Map();
      queryClient.setQueryData(['prescriptions.get', { id: this.id }], draft);
      this.adoptView(draft, snapshot.lines.map((l) => l.key));
      this.inFlight = false;
      this.finish(this.hasInvalid() ? { kind: 'invalid' } : { kind: 'saved' });
    } catch (error) {
      this.inFlight = false;
      this.sending = null;
      this.failedSave(error instanceof OrdoError ? error : new OrdoError('INTERNAL'), snapshot);
    }
    void this.pump();
  }

  private hasInvalid(): boolean {
    return this.state.lines.some((s) => this.convert(s).errors !== null);
  }

  private finish(status: SaveStatus): void {
    if (!this.pending && !this.inFlight) {
      // Saved whole: nothing to keep. Some fields unreadable: they stay in the journal, as typed.
      if (status.kind === 'saved') this.clearJournal();
      else this.writeJournal();
      this.set({ status });
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private failedSave(error: OrdoError, sent: Snapshot): void {
    switch (error.code) {
      case 'CONFLICT':
        this.stopped = true;
        this.set({ status: { kind: 'conflict', message: error.message } });
        break;
      case 'NOT_FOUND':
        this.stopped = true;
        this.clearJournal();
        this.set({ status: { kind: 'gone', message: t.status.gone } });
        break;
      case 'INVALID_INPUT': {
        // `lines.<n>.<path>`: n counts the lines sent, which skip those never readable.
        const errors = new Map<string, LineErrors>();
        for (const [path, message] of Object.entries(error.fields ?? {})) {
          const m = /^lines\.(\d+)(?:\.(.+))?$/.exec(path);
          const key = m === null ? undefined : sent.lines[Number(m[1])]?.key;
          if (key === undefined) continue;
          const field = fieldOf(m![2]);
          errors.set(key, { ...errors.get(key), [field]: message });
        }
        this.serverErrors = errors;
        this.set({ errors: this.errorsOf(this.state.lines), status: { kind: 'error', message: error.message, retrying: false } });
        break;
      }
      default:
        // The service restarted, the disk was busy: the same state is sent again a little later.
        this.pending = true;
        this.set({ status: { kind: 'error', message: error.message, retrying: true } });
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => void this.pump(), RETRY_MS);
        return;
    }
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** « Recharger » after a conflict: the stored draft replaces what this window holds. */
  async reload(): Promise<void> {
    this.clearJournal();
    this.pending = false;
    this.stopped = false;
    this.lastValid.clear();
    this.serverErrors = new Map();
    try {
      const draft = await call('prescriptions.get', { id: this.id });
      queryClient.setQueryData(['prescriptions.get', { id: this.id }], draft);
      this.state = { ...this.state, phase: 'loading' };
      this.start(draft);
    } catch (error) {
      this.set({ status: { kind: 'gone', message: error instanceof OrdoError ? error.message : t.status.gone } });
    }
  }

  /**
   * Signs what the server holds once every change is saved. `requestId` is made once per « Signer »
   * (a double press or a retry signs once). Afterwards the screen shows the signed prescription.
   */
  async sign(requestId: string): Promise<Draft> {
    this.flush();
    await this.settled();
    const signed = await call('prescriptions.sign', { id: this.id, requestId });
    this.clearJournal();
    queryClient.setQueryData(['prescriptions.get', { id: this.id }], signed);
    this.state = { ...this.state, phase: 'loading' };
    this.start(signed);
    if (lastDraftId() === this.id) rememberDraft(null);
    await queryClient.invalidateQueries({ queryKey: ['prescriptions.list'] });
    return signed;
  }

  async discard(): Promise<void> {
    this.stopped = true;
    this.pending = false;
    clearTimeout(this.retryTimer);
    await this.settled();
    try {
      await call('prescriptions.discard', { id: this.id });
    } catch (error) {
      this.stopped = false;
      throw error;
    }
    this.clearJournal();
    sessions.delete(this.id);
    if (lastDraftId() === this.id) rememberDraft(null);
    await queryClient.invalidateQueries({ queryKey: ['prescriptions.list'] });
  }

  private writeJournal(): void {
    try {
      const journal: Journal = { version: this.version, sent: this.sending, lines: [...this.state.lines], overrides: [...this.state.overrides] };
      localStorage.setItem(journalKey(this.id), JSON.stringify(journal));
    } catch {
      // A full or disabled storage: the autosave still runs, only a reload mid-save could lose the last change.
    }
  }

  private clearJournal(): void {
    localStorage.removeItem(journalKey(this.id));
  }
}

const fieldNames: readonly LineField[] = ['cis', 'text', 'posology.dose', 'posology.frequency', 'posology.maxPer24h', 'posology.moments', 'duration.value', 'packs', 'renewals', 'nonSubstitution', 'instructions'];

/** `posology.frequency.times` → the frequency field; anything unknown is said on the line. */
function fieldOf(path: string | undefined): LineField {
  if (path === undefined) return 'line';
  return fieldNames.find((f) => path === f || path.startsWith(`${f}.`)) ?? (path.startsWith('duration') ? 'duration.value' : path === 'cip13' ? 'cis' : 'line');
}

const sessions = new Map<number, DraftSession>();

/** The one session of a draft while the app runs: leaving the screen does not stop its saves. */
export function sessionFor(id: number): DraftSession {
  let session = sessions.get(id);
  if (session === undefined) {
    session = new DraftSession(id);
    sessions.set(id, session);
  }
  return session;
}

/** Every session with changes sends them now (the page is being hidden or closed). */
export function flushAll(): void {
  for (const session of sessions.values()) session.flush();
}
