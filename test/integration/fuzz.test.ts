/**
 * Random inputs to every contract call through the HTTP host. Inputs come from each call's zod
 * schema and `example` (test/support/zod-arbitrary.ts): most are valid variants that reach the
 * service, the others mutations it must refuse. For each: no crash (never a 5xx, the host still
 * answers afterwards), a typed error for what is refused, no row written by a refused call, and
 * at least half of the inputs reach the service. New calls are covered as soon as they are listed
 * in shared/contract.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, contract, type CallName } from '../../shared/contract';
import { errorCodes } from '../../shared/errors';
import { rpc } from '../support/cli';
import { startInProcessHost, type InProcessHost } from '../support/host';
import { fuzzInputs } from '../support/zod-arbitrary';

// No call made by the fuzzer may leave this machine: anything that downloads is pointed at a
// closed loopback port (and jobs are only queued here: the runner does not take them).
process.env['ORDO_BDPM_BASE_URL'] = 'http://127.0.0.1:9/';

const RUNS = 120;
const reached = new Map<string, { count: number; distinct: Set<string> }>();
let h: InProcessHost;

beforeAll(async () => {
  h = await startInProcessHost(undefined, {
    backend: 'in-process',
    autoRun: false,
    // Counts what gets past the contract's validation, per call.
    wrapServices: (app) => {
      const services = app.services as Record<string, (input: unknown) => unknown>;
      for (const name of callNames) {
        const run = services[name]!;
        services[name] = (input: unknown) => {
          const entry = reached.get(name) ?? { count: 0, distinct: new Set<string>() };
          entry.count += 1;
          entry.distinct.add(JSON.stringify(input));
          reached.set(name, entry);
          return run(input);
        };
      }
      return app.services;
    },
  });
});
afterAll(async () => {
  const lines = callNames.map((name) => {
    const entry = reached.get(name);
    return `  ${name.padEnd(22)} ${String(entry?.count ?? 0).padStart(4)} / ${RUNS} reached the service (${entry?.distinct.size ?? 0} distinct)`;
  });
  process.stderr.write(`fuzz: inputs that reached each service\n${lines.join('\n')}\n`);
  await h.close();
});

async function checkOne(name: string, input: unknown): Promise<void> {
  const before = h.changes();
  const { status, body } = await rpc(h, name, input);
  expect(status, `${name} answered ${status}: ${JSON.stringify(body.error)}`).toBeLessThan(500);
  expect(typeof body.ok).toBe('boolean');
  if (!body.ok) {
    expect(errorCodes).toContain(body.error?.code);
    expect(body.error?.message).toMatch(/\S/);
    expect(h.changes(), `${name} wrote rows although it was refused`).toBe(before);
  } else {
    expect(status).toBe(200);
  }
}

describe('fuzzing every contract call through the host', () => {
  it.each(callNames)('%s', async (name: CallName) => {
    const before = reached.get(name)?.count ?? 0;
    await fc.assert(
      fc.asyncProperty(fuzzInputs(contract[name].input, contract[name].example), ({ input }) => checkOne(name, input)),
      { numRuns: RUNS },
    );
    const count = (reached.get(name)?.count ?? 0) - before;
    expect(count, `${name}: only ${count} of ${RUNS} inputs reached the service`).toBeGreaterThanOrEqual(RUNS / 2);
  });

  it('unknown names get a typed 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !callNames.includes(s as CallName)), async (name) => {
        const { status, body } = await rpc(h, encodeURIComponent(name), {});
        expect([400, 404]).toContain(status);
        expect(body.ok).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('the host still answers and the database is sound afterwards', async () => {
    expect((await rpc(h, 'app.info', {})).status).toBe(200);
    expect(h.observer.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
