import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY } from '../../electron/host/server';
import { rpc } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { startInProcessHost, type InProcessHost } from '../support/host';
import { tempDir } from '../support/tmp';

let h: InProcessHost;
const site = tempDir('ordo-site-');

beforeAll(async () => {
  mkdirSync(join(site.dir, 'assets'));
  writeFileSync(join(site.dir, 'index.html'), '<!doctype html><title>Ordo</title>');
  writeFileSync(join(site.dir, 'assets', 'app.js'), 'console.log(1)');
  h = await startInProcessHost(site.dir);
});
afterAll(async () => {
  await h.close();
  site.remove();
});

describe('headless host', () => {
  it('answers a contract call with the token', async () => {
    const { status, body } = await rpc(h, 'app.info', {});
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, value: { mode: 'host', dataDir: h.dataDir } });
  });

  it('gives 401 without the right token, and touches nothing', async () => {
    const before = h.changes();
    const noToken = await fetch(`${h.origin}/rpc/profile.save`, { method: 'POST', body: JSON.stringify(validProfile) });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await rpc(h, 'profile.save', validProfile, 'x'.repeat(43));
    expect(wrong.status).toBe(401);
    expect(h.changes()).toBe(before);
  });

  it('gives 400 with a typed error for an unknown call or a bad input, and touches nothing', async () => {
    const before = h.changes();
    const unknown = await rpc(h, 'profile.drop', {});
    expect(unknown).toMatchObject({ status: 400, body: { ok: false, error: { code: 'UNKNOWN_CALL' } } });
    const bad = await rpc(h, 'profile.save', { ...validProfile, postalCode: 'Lyon' });
    expect(bad).toMatchObject({ status: 400, body: { ok: false, error: { code: 'INVALID_INPUT', fields: { postalCode: 'Le code postal doit comporter 5 chiffres.' } } } });
    const notJson = await fetch(`${h.origin}/rpc/profile.save`, { method: 'POST', headers: { authorization: `Bearer ${h.token}` }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const get = await fetch(`${h.origin}/rpc/profile.get`, { headers: { authorization: `Bearer ${h.token}` } });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const badEscape = await fetch(`${h.origin}/rpc/profile%E0%A4%A.get`, { method: 'POST', headers: { authorization: `Bearer ${h.token}` }, body: '{}' });
    expect(badEscape.status).toBe(400);
    expect(await badEscape.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(h.changes()).toBe(before);
  });

  it('checks the token before anything else', async () => {
    const get = await fetch(`${h.origin}/rpc/profile.get`);
    expect(get.status).toBe(401);
    const badEscape = await fetch(`${h.origin}/rpc/%E0%A4%A`, { method: 'POST', body: '{}' });
    expect(badEscape.status).toBe(401);
  });

  it('refuses an oversized body with a typed 413, without reading it all', async () => {
    const before = h.changes();
    const response = await fetch(`${h.origin}/rpc/profile.save`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}` },
      body: 'x'.repeat(MAX_BODY + 1024),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'La requête est trop volumineuse.' } });
    expect(h.changes()).toBe(before);
    expect((await rpc(h, 'app.info', {})).status).toBe(200);
  });

  it('serves the renderer with a strict CSP and falls back to index.html', async () => {
    const index = await fetch(`${h.origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>Ordo</title>');
    const asset = await fetch(`${h.origin}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const deep = await fetch(`${h.origin}/patients/42`);
    expect(await deep.text()).toContain('<title>Ordo</title>');
    const escape = await fetch(`${h.origin}/..%2F..%2Fetc%2Fpasswd`);
    expect(await escape.text()).not.toContain('root:');
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.origin}/rpc/app.info`, { method: 'POST', headers: { host: 'evil.example:80', authorization: `Bearer ${h.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('listens on the loopback address only', () => {
    const address = h.host.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });
});
