import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY } from '../../electron/host/server';
import { rpc } from '../support/cli';
import { validProfile } from '../support/fixtures';
import { startInProcessHost, type InProcessHost } from '../support/host';
import { tempDir } from '../support/tmp';

/**
 * Writes `head` and `body` as they are on a fresh connection, as a client that sends everything
 * before it reads would, and resolves with the first answer once it is whole (or at close).
 */
function rawRequest(port: number, head: string, body: Buffer = Buffer.alloc(0)): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const parsed = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const headers = received.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0);
      let rest = received.subarray(end + 4);
      const length = /\r\ncontent-length: *(\d+)/i.exec(headers);
      if (length !== null) return rest.length >= Number(length[1]) ? { status, headers, body: rest.subarray(0, Number(length[1])).toString('utf8') } : undefined;
      if (!/\r\ntransfer-encoding: *chunked/i.test(headers)) return undefined;
      const parts: Buffer[] = [];
      for (;;) {
        const line = rest.indexOf('\r\n');
        if (line < 0) return undefined;
        const size = parseInt(rest.subarray(0, line).toString('latin1'), 16);
        if (size === 0) return { status, headers, body: Buffer.concat(parts).toString('utf8') };
        if (rest.length < line + 2 + size + 2) return undefined;
        parts.push(rest.subarray(line + 2, line + 2 + size));
        rest = rest.subarray(line + 2 + size + 2);
      }
    };
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      socket.write(body);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parsed();
      if (answer !== undefined) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed before a whole answer: ${JSON.stringify(received.toString('latin1').slice(0, 200))}`)));
  });
}

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

  it('refuses an oversized body with a typed 413, without keeping it', async () => {
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

  it('always answers an oversized upload with its typed 413, to a client that writes the whole body before reading', async () => {
    const body = Buffer.alloc(MAX_BODY + 1024 * 1024, 0x78);
    for (let i = 0; i < 24; i++) {
      const answer = await rawRequest(
        h.host.port,
        `POST /rpc/profile.save HTTP/1.1\r\nHost: 127.0.0.1:${h.host.port}\r\nAuthorization: Bearer ${h.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      );
      expect(answer.status, `try ${i}`).toBe(413);
      expect(JSON.parse(answer.body), `try ${i}`).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'La requête est trop volumineuse.' } });
    }
    // The same without a declared length (chunked): the limit is counted on what arrives.
    const chunked = await rawRequest(
      h.host.port,
      `POST /rpc/profile.save HTTP/1.1\r\nHost: 127.0.0.1:${h.host.port}\r\nAuthorization: Bearer ${h.token}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]),
    );
    expect(chunked.status).toBe(413);
    expect((await rpc(h, 'app.info', {})).status).toBe(200);
  });

  it('refuses a request that says twice who it is for, who sends it, or what it carries', async () => {
    const host = `127.0.0.1:${h.host.port}`;
    const auth = `Authorization: Bearer ${h.token}`;
    const cases: [string, string][] = [
      ['Host', `Host: ${host}\r\nHost: evil.example\r\n${auth}\r\n`],
      ['Host', `Host: ${host}\r\nHost: ${host}\r\n${auth}\r\n`],
      ['Origin', `Host: ${host}\r\nOrigin: http://${host}\r\nOrigin: http://evil.example\r\n${auth}\r\n`],
      ['Authorization', `Host: ${host}\r\n${auth}\r\nAuthorization: Bearer nope\r\n`],
      ['Content-Type', `Host: ${host}\r\n${auth}\r\nContent-Type: application/json\r\nContent-Type: text/plain\r\n`],
    ];
    for (const [name, headers] of cases) {
      const answer = await rawRequest(h.host.port, `POST /rpc/app.info HTTP/1.1\r\n${headers}Content-Length: 2\r\nConnection: close\r\n\r\n{}`);
      expect(answer.status, name).toBe(400);
      expect(JSON.parse(answer.body), name).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: `Requête refusée : l’en-tête « ${name} » y figure plusieurs fois.` } });
    }
    // Two lengths are refused by Node's parser itself, with the same typed answer.
    const lengths = await rawRequest(h.host.port, `POST /rpc/app.info HTTP/1.1\r\nHost: ${host}\r\n${auth}\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}`);
    expect(lengths.status).toBe(400);
    expect(JSON.parse(lengths.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'La requête HTTP est mal formée.' } });
    // One of each is answered.
    const one = await rawRequest(h.host.port, `POST /rpc/app.info HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\n${auth}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(one.status).toBe(200);
  });

  it('refuses a body that is not valid UTF-8 rather than reading it with replacement characters', async () => {
    const patients = () => h.observer.prepare('SELECT count(*) FROM patients').pluck().get();
    const before = patients();
    const name = (bytes: number[]) => Buffer.concat([Buffer.from('{"patient":{"birthName":"A'), Buffer.from(bytes), Buffer.from('","firstNames":"Anne","sex":"F","birthDate":"01/01/1980"}}')]);
    const invalid: [string, number[]][] = [
      ['C3 28 (a lead byte without its continuation)', [0xc3, 0x28]],
      ['a lone FF', [0xff]],
      ['C0 80 (overlong NUL)', [0xc0, 0x80]],
      ['E0 80 AF (overlong « / »)', [0xe0, 0x80, 0xaf]],
      ['F0 82 82 AC (overlong €)', [0xf0, 0x82, 0x82, 0xac]],
      ['ED A0 80 (a UTF-16 surrogate encoded in UTF-8)', [0xed, 0xa0, 0x80]],
      ['a lone continuation byte 80', [0x80]],
      ['F4 90 80 80 (past U+10FFFF)', [0xf4, 0x90, 0x80, 0x80]],
    ];
    for (const [what, bytes] of invalid) {
      const response = await fetch(`${h.origin}/rpc/patients.create`, { method: 'POST', headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' }, body: name(bytes) });
      expect(response.status, what).toBe(400);
      expect(await response.json(), what).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'La requête n’est pas un texte UTF-8 valide.' } });
    }
    expect(patients()).toBe(before);
    // Valid UTF-8 (« é », « 秀 », an emoji) still goes through.
    const valid = await fetch(`${h.origin}/rpc/patients.search`, { method: 'POST', headers: { authorization: `Bearer ${h.token}` }, body: Buffer.from('{"query":"é秀😀"}') });
    expect(valid.status).toBe(200);
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
