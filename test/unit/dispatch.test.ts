import { describe, expect, it } from 'vitest';
import { OrdoError } from '../../shared/errors';
import { dispatch, type ServiceTable } from '../../electron/dispatch';
import { validProfile } from '../support/fixtures';

function table(overrides: Partial<Record<keyof ServiceTable, (input: never) => unknown>>): ServiceTable {
  const notCalled = () => {
    throw new Error('service must not run');
  };
  return new Proxy({} as ServiceTable, {
    get: (_target, name: string) => (overrides as Record<string, unknown>)[name] ?? notCalled,
  });
}

describe('dispatch', () => {
  it('refuses an unknown call without running anything', async () => {
    const result = await dispatch(table({}), 'profile.delete', {});
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL', message: expect.stringMatching(/n’existe pas/) } });
  });

  it('refuses invalid input with French field messages and never runs the service', async () => {
    const result = await dispatch(table({}), 'profile.save', { ...validProfile, rpps: '123' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.fields).toEqual({ rpps: 'Le numéro RPPS doit comporter 11 chiffres (3 saisis).' });
    }
  });

  it('passes parsed input and returns the checked output', async () => {
    let seen: unknown;
    const result = await dispatch(
      table({ 'profile.save': (input) => ((seen = input), input) }),
      'profile.save',
      { ...validProfile, rpps: '100 031 545 89' },
    );
    expect(seen).toMatchObject({ rpps: '10003154589' });
    expect(result).toMatchObject({ ok: true, value: { rpps: '10003154589' } });
  });

  it('keeps an OrdoError as is and hides anything else behind INTERNAL', async () => {
    const typed = await dispatch(table({ 'profile.get': () => { throw new OrdoError('NOT_FOUND'); } }), 'profile.get', {});
    expect(typed).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const raw = await dispatch(table({ 'profile.get': () => { throw new Error('secret stack detail'); } }), 'profile.get', {});
    expect(raw).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(raw)).not.toContain('secret');
  });

  it('refuses to return an output that breaks the contract', async () => {
    const result = await dispatch(table({ 'profile.get': () => ({ lastName: 42 }) }), 'profile.get', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
