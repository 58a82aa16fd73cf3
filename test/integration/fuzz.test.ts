/**
 * Random inputs to every contract call through the HTTP host. For each: no crash (never a 5xx,
 * the host still answers afterwards), a typed error for what the schema refuses, and no row
 * written in the practice database by a rejected call. New calls are covered as soon as they are
 * listed in shared/contract.ts: inputs are derived from each call's `example`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, contract, type CallName } from '../../shared/contract';
import { errorCodes } from '../../shared/errors';
import { rpc } from '../support/cli';
import { startInProcessHost, type InProcessHost } from '../support/host';

// No call made by the fuzzer may leave this machine: anything that downloads is pointed at a
// closed loopback port.
process.env['ORDO_BDPM_BASE_URL'] = 'http://127.0.0.1:9/';

let h: InProcessHost;
beforeAll(async () => {
  h = await startInProcessHost();
});
afterAll(async () => {
  await h.close();
});

/** Inputs near a valid one: a field replaced, removed, or an unknown field added; or anything. */
function inputsFor(name: CallName): fc.Arbitrary<unknown> {
  const example = contract[name].example as unknown;
  const anything = fc.jsonValue({ maxDepth: 3 });
  if (typeof example !== 'object' || example === null || Array.isArray(example)) return anything;
  const record = example as Record<string, unknown>;
  const keys = Object.keys(record);
  const variants: fc.Arbitrary<unknown>[] = [anything, fc.constant(record)];
  variants.push(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), anything).map(([k, v]) => ({ ...record, [k]: v })));
  if (keys.length > 0) {
    const key = fc.constantFrom(...keys);
    variants.push(fc.tuple(key, anything).map(([k, v]) => ({ ...record, [k]: v })));
    variants.push(fc.tuple(key, fc.string({ unit: 'grapheme', maxLength: 300 })).map(([k, v]) => ({ ...record, [k]: v })));
    variants.push(key.map((k) => Object.fromEntries(Object.entries(record).filter(([kk]) => kk !== k))));
  }
  return fc.oneof(...variants);
}

async function checkOne(name: string, input: unknown): Promise<void> {
  const before = h.changes();
  const { status, body } = await rpc(h, name, input);
  expect(status, `${name} answered ${status}`).toBeLessThan(500);
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
  it.each(callNames)('%s', async (name) => {
    await fc.assert(fc.asyncProperty(inputsFor(name), (input) => checkOne(name, input)), { numRuns: 120 });
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
