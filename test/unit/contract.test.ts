import { describe, expect, it } from 'vitest';
import { callNames, contract } from '../../shared/contract';
import { errorCodes, errorMessages } from '../../shared/errors';

describe('contract', () => {
  it.each(callNames)('%s: its example is a valid input', (name) => {
    const spec = contract[name];
    const parsed = spec.input.safeParse(spec.example);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('names calls as domain.action', () => {
    for (const name of callNames) expect(name).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
  });

  it('has a French message for every error code', () => {
    for (const code of errorCodes) expect(errorMessages[code]).toMatch(/[a-zé]/);
  });
});
