/**
 * What each change makes stale, in one table beside the contract: after a call succeeds, and
 * when an event arrives, the renderer refetches the reads named here. Nobody lists this by hand
 * in a screen. `jobs.changed` also carries the job itself, which the renderer merges into the
 * cached job lists (renderer/app/jobs-cache.ts) so that progress moves without any refetch.
 */
import type { CallName } from './contract';
import type { JobKind } from './calls/jobs';
import type { EventName } from './events';

/** Every read: after a restart of the service nothing shown can be trusted. */
export const EVERYTHING = '*';

type Stale = readonly CallName[] | typeof EVERYTHING;

export const invalidates: { calls: Partial<Record<CallName, Stale>>; events: Record<EventName, Stale>; jobEnded: Record<JobKind, Stale> } = {
  calls: {
    'profile.save': ['profile.get'],
    'patients.create': ['patients.search', 'patients.get'],
    'patients.update': ['patients.search', 'patients.get'],
    'patients.import': ['jobs.list'],
    'drugs.update': ['jobs.list'],
    'drugs.setSource': ['drugs.getSource', 'drugs.status'],
    'jobs.cancel': ['jobs.list'],
    'interactions.install': ['jobs.list'],
    'backup.create': ['backup.list'],
    'prescriptions.discard': ['prescriptions.list'],
    // The prescription's page shows its cancellation, the patient's list its state.
    'prescriptions.cancel': ['prescriptions.list', 'prescriptions.get'],
    'favourites.save': ['favourites.list'],
    'favourites.delete': ['favourites.list'],
    'outbox.retry': ['outbox.list', 'outbox.summary', 'prescriptions.list'],
    'outbox.sync': ['outbox.list', 'outbox.summary'],
    'outbox.configure': ['outbox.list', 'outbox.summary'],
    'backup.restore': EVERYTHING,
  },
  events: {
    'jobs.changed': [],
    // A prescription's checks read the record (allergies, weight, clearance): its page is stale too.
    'patients.changed': ['patients.search', 'patients.get', 'prescriptions.get'],
    // A signature or a cancellation adds outbox rows.
    'prescriptions.changed': ['prescriptions.list', 'outbox.list', 'outbox.summary'],
    'favourites.changed': ['favourites.list'],
    'outbox.changed': ['outbox.list', 'outbox.summary', 'prescriptions.list'],
    'referential.changed': ['drugs.status', 'drugs.search', 'drugs.get', 'drugs.interactions', 'interactions.status', 'interactions.ofDrug', 'prescriptions.get', 'allergens.search'],
    'settings.changed': ['drugs.getSource', 'drugs.status', 'outbox.summary', 'outbox.list'],
    'service.restarted': EVERYTHING,
    'database.reopened': EVERYTHING,
  },
  /** When a job of this kind ends (a `jobs.changed` whose state is final): what it replaced or added. */
  jobEnded: {
    'drugs.update': ['drugs.status', 'drugs.search', 'drugs.get', 'drugs.interactions', 'interactions.ofDrug', 'prescriptions.get'],
    'patients.import': ['patients.search'],
    'outbox.sync': ['outbox.list', 'outbox.summary', 'prescriptions.list'],
    'interactions.install': ['drugs.status', 'drugs.interactions', 'interactions.status', 'interactions.ofDrug', 'prescriptions.get', 'allergens.search'],
  },
};
