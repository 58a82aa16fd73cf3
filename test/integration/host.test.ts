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
  writeFileSync(join(site.dir, 'assets', 'app.js.map'), '{"sources":["../../renderer/main.tsx"],"sourcesContent":["secret source"]}');
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

  it('never serves source maps (the original source of the renderer)', async () => {
    for (const path of ['/assets/app.js.map', '/assets/APP.JS.MAP', '/assets/app.js%2Emap']) {
      const response = await fetch(`${h.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('secret source');
    }
  });

  it('streams pushed events at GET /events, token required like every other path', async () => {
    expect((await fetch(`${h.origin}/events`)).status).toBe(401);
    expect((await fetch(`${h.origin}/events`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${h.origin}/events`, { method: 'POST', headers: { authorization: `Bearer ${h.token}` } })).status).toBe(405);

    const controller = new AbortController();
    const stream = await fetch(`${h.origin}/events`, { headers: { authorization: `Bearer ${h.token}` }, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    const created = await rpc(h, 'patients.create', { patient: { birthName: 'Lefèvre', firstNames: 'Hélène', sex: 'F', birthDate: '14/03/1980' } });
    const id = (created.body.value as { id: number }).id;
    let text = '';
    while (!text.includes('event: patients.changed')) text += (await reader.read()).value ?? '';
    expect(text).toContain(`event: patients.changed\ndata: ${JSON.stringify({ ids: [id], count: 1 })}\n\n`);
    controller.abort();
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
