import { describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app';
import { fixedClock } from '../../electron/clock';
import { dispatch } from '../../electron/dispatch';
import { validProfile } from '../support/fixtures';
import { tempDir } from '../support/tmp';

describe('prescriber profile service', () => {
  it('is empty on first run, then saved, audited and read back after reopening', async () => {
    const tmp = tempDir();
    const app = createApp({ dataDir: tmp.dir, mode: 'host', clock: fixedClock('2026-11-25T09:00:00Z') });
    expect(await dispatch(app.services, 'profile.get', {})).toEqual({ ok: true, value: null });
    const saved = await dispatch(app.services, 'profile.save', { ...validProfile, firstName: 'Hélène' });
    expect(saved).toMatchObject({ ok: true, value: { firstName: 'Hélène' } });
    const audit = app.db.prepare('SELECT action, at FROM audit_log').all();
    expect(audit).toEqual([{ action: 'profile.created', at: '2026-11-25T09:00:00.000Z' }]);
    app.close();

    const reopened = createApp({ dataDir: tmp.dir, mode: 'host' });
    expect(await dispatch(reopened.services, 'profile.get', {})).toMatchObject({ ok: true, value: { firstName: 'Hélène', rpps: validProfile.rpps } });
    await dispatch(reopened.services, 'profile.save', { ...validProfile, city: 'Villeurbanne' });
    expect(reopened.db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all()).toEqual(['profile.created', 'profile.updated']);
    reopened.close();
    tmp.remove();
  });

  it('saves nothing when a field is invalid', async () => {
    const tmp = tempDir();
    const app = createApp({ dataDir: tmp.dir, mode: 'host' });
    const result = await dispatch(app.services, 'profile.save', { ...validProfile, rpps: '10003154588' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fields: { rpps: expect.stringMatching(/clé de contrôle/) } } });
    expect(app.db.prepare('SELECT count(*) FROM prescriber_profile').pluck().get()).toBe(0);
    expect(app.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(0);
    app.close();
    tmp.remove();
  });
});
