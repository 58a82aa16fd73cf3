/**
 * The events the main process pushes to the screens, next to the calls of the contract: each a
 * name and a zod payload. The Electron preload exposes `ordo.on(name, callback)` for these names
 * only; the HTTP host streams them at `GET /events` (Server-Sent Events). The renderer turns them
 * into cache updates through the table in shared/invalidates.ts.
 */
import { z } from 'zod';
import { jobSchema } from './calls/jobs';
import { settingKeys, type SettingKey } from './settings';

export interface EventSpec {
  payload: z.ZodType;
  example: unknown;
}

export const events = {
  /** A job was created, moved on, or ended (its progress at most a few times a second). */
  'jobs.changed': {
    payload: jobSchema,
    example: {
      id: 1,
      kind: 'patients.import',
      state: 'running',
      attempts: 1,
      maxAttempts: 3,
      nextRunAt: null,
      error: null,
      cancelRequested: false,
      createdAt: '2026-12-02T08:00:00.000Z',
      startedAt: '2026-12-02T08:00:00.100Z',
      updatedAt: '2026-12-02T08:00:01.000Z',
      finishedAt: null,
      input: { fileName: 'patients.csv', bytes: 2048 },
      progress: { phase: 'checking', done: 500, total: 2000, percent: 25 },
      result: null,
    },
  },
  /** Patients were created, changed or imported: lists and pages that show them are stale. */
  'patients.changed': {
    payload: z.object({ ids: z.array(z.number().int().positive()).max(1000), count: z.number().int().nonnegative() }),
    example: { ids: [12], count: 1 },
  },
  /** A prescription was created, saved, renewed or discarded: the patient's list and its page are stale. */
  'prescriptions.changed': {
    payload: z.object({ id: z.number().int().positive(), patientId: z.number().int().positive() }),
    example: { id: 3, patientId: 12 },
  },
  /** Outbox rows moved on (sent, failed, refused, back to waiting): the Envois screen, the badge and the patients' lists are stale. */
  'outbox.changed': {
    payload: z.object({ count: z.number().int().nonnegative() }),
    example: { count: 1 },
  },
  /** A favourite was saved or deleted. */
  'favourites.changed': {
    payload: z.object({}),
    example: {},
  },
  /** Another drug referential or interaction rule set is installed. */
  'referential.changed': {
    payload: z.object({ kind: z.enum(['drugs', 'interactions']) }),
    example: { kind: 'drugs' },
  },
  'settings.changed': {
    payload: z.object({ key: z.enum(settingKeys as [SettingKey, ...SettingKey[]]) }),
    example: { key: 'drugs.bdpmBaseUrl' },
  },
  /**
   * The service worker stopped unexpectedly and was restarted (sent by the adapter, not by a
   * service): whatever a screen shows may be stale, and an action in flight may not have ended.
   */
  'service.restarted': {
    payload: z.object({ message: z.string(), restarts: z.number().int().positive() }),
    example: { message: 'Ordo a redémarré son service interne.', restarts: 1 },
  },
  /**
   * The practice database was closed and opened again by the service (a backup restored), or found
   * damaged and closed (then only the backup calls answer): nothing shown can be trusted.
   */
  'database.reopened': {
    payload: z.object({ reason: z.enum(['restored', 'damaged']), message: z.string() }),
    example: { reason: 'restored', message: 'La sauvegarde « ordo-2026-12-02.db » a été restaurée.' },
  },
} as const satisfies Record<string, EventSpec>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;
export type PushedEvent = { [N in EventName]: { name: N; payload: EventPayload<N> } }[EventName];

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
