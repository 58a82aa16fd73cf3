/** The pure parts of jobs and events: backoff, cached job lists, the SSE reader of the renderer. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Job } from '../../shared/calls/jobs';
import { events } from '../../shared/events';
import { retryDelayMs } from '../../electron/jobs/backoff';
import { mergeJob } from '../../renderer/app/jobs-cache';
import { parseServerSentEvents } from '../../renderer/app/sse';

const base = events['jobs.changed'].example as Job;
const job = (id: number, patch: Partial<Job> = {}): Job => ({ ...base, id, ...patch }) as Job;

describe('capped exponential backoff with full jitter', () => {
  const policy = { baseMs: 1000, capMs: 60_000 };

  it('doubles the ceiling at each retry up to the cap, and picks in [0, ceiling)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, policy, () => 0.999_999))).toEqual([999, 1999, 3999, 7999, 15_999, 31_999, 59_999, 59_999]);
    expect(retryDelayMs(3, policy, () => 0)).toBe(0);
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(2000);
  });

  it('never exceeds the cap nor goes below zero, whatever the draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, draw) => {
        const delay = retryDelayMs(retry, policy, () => draw);
        return delay >= 0 && delay < policy.capMs;
      }),
    );
  });
});

describe('a cached job list kept current from events', () => {
  it('replaces the job it shows, and never with an older snapshot', () => {
    const list = [job(2, { updatedAt: '2026-12-02T08:00:01.000Z' }), job(1)];
    const newer = job(2, { updatedAt: '2026-12-02T08:00:02.000Z', progress: { phase: 'writing', done: 1, total: 2, percent: 70 } });
    expect(mergeJob(list, newer, { limit: 10 })[0]).toBe(newer);
    const older = job(2, { updatedAt: '2026-12-02T08:00:00.000Z' });
    expect(mergeJob(list, older, { limit: 10 })).toBe(list);
  });

  it('puts a newer job on top within the limit, and leaves lists of another kind alone', () => {
    const list = [job(1)];
    expect(mergeJob(list, job(3), { kind: 'patients.import', limit: 1 }).map((j) => j.id)).toEqual([3]);
    expect(mergeJob(list, job(3), { kind: 'drugs.update', limit: 1 })).toBe(list);
  });

  it('drops a finished job from a list of active jobs', () => {
    const list = [job(4, { state: 'running' })];
    expect(mergeJob(list, job(4, { state: 'done', updatedAt: '2026-12-02T09:00:00.000Z' }), { active: true })).toEqual([]);
  });
});

describe('reading the Server-Sent Events stream', () => {
  it('yields each complete event, keeps a partial one for the next chunk, skips comments', () => {
    const first = parseServerSentEvents(': ordo\n\nevent: patients.changed\ndata: {"ids":[1],"count":1}\n\nevent: jobs.changed\ndata: {"id"');
    expect(first.events).toEqual([{ name: 'patients.changed', data: '{"ids":[1],"count":1}' }]);
    const second = parseServerSentEvents(`${first.rest}:2}\r\n\r\n`);
    expect(second).toEqual({ events: [{ name: 'jobs.changed', data: '{"id":2}' }], rest: '' });
  });

  it('reads the same events whatever the chunking', () => {
    const stream = 'retry: 2000\n: ordo\n\nevent: a.b\ndata: 1\n\nevent: c.d\ndata: {"x":"é"}\n\n: keep-alive\n\nevent: e.f\ndata: 3\n\n';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...points].map((at, i) => stream.slice(at, points[i] ?? stream.length));
        let rest = '';
        const names: string[] = [];
        for (const chunk of chunks) {
          const parsed = parseServerSentEvents(rest + chunk);
          rest = parsed.rest;
          names.push(...parsed.events.map((e) => `${e.name}=${e.data}`));
        }
        expect(names).toEqual(['a.b=1', 'c.d={"x":"é"}', 'e.f=3']);
      }),
    );
  });
});
