/**
 * The headless host: the contract over HTTP on 127.0.0.1, plus the built renderer as static
 * files, so the whole app runs in a browser (development, end-to-end tests, scripts). It relays
 * to a backend (the service worker, in `ordo serve`) and keeps nothing else.
 *
 *   POST /rpc/<call name>   JSON body, `Authorization: Bearer <token>`
 *   GET  /events            pushed events as Server-Sent Events, `Authorization: Bearer <token>`
 *
 * The token is random per start. Requests whose Host is not the loopback address are refused
 * (a web page elsewhere cannot rebind a name onto this port), and so are requests that carry twice
 * a header whose second copy could change what they mean (two Host headers: which one was checked?).
 * A body is JSON in UTF-8: bytes that are not UTF-8 are refused, never read as U+FFFD.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrdoError, type ErrorCode, type Result } from '../../shared/errors';
import { createLogger } from '../log';
import type { Backend } from '../worker/backend';
import { serveStatic } from './static';

const log = createLogger('host');
/** Large enough for a 5 MB CSV import sent from Réglages as base64; anything bigger is refused. */
export const MAX_BODY = 8 * 1024 * 1024;

/**
 * An oversized body is read on and dropped up to this many bytes before the 413 is sent: a client
 * still sending when the connection closes would get a reset instead of the answer. Past it the
 * answer is sent and the connection closed (a client that sends that much is not Ordo's window).
 */
const MAX_DRAIN = 4 * MAX_BODY;

/** Headers a request may carry once only (Node keeps the first of some, joins others). */
const SINGLE_HEADERS = { host: 'Host', origin: 'Origin', authorization: 'Authorization', 'content-length': 'Content-Length', 'content-type': 'Content-Type' } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A comment line every so often keeps proxies and the browser from closing an idle stream. */
const SSE_KEEPALIVE_MS = 15_000;

export interface HostOptions {
  backend: Backend;
  port?: number;
  /** Folder of the built renderer; omitted: RPC only. */
  staticDir?: string | undefined;
  token?: string;
}

export interface Host {
  url: string;
  /** URL that opens the app as is: it carries the token in the fragment. */
  appUrl: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const statusOf: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNKNOWN_CALL: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NEEDS_CONFIRMATION: 409,
  DATABASE_TOO_NEW: 500,
  DATABASE_ERROR: 500,
  IMPORT_FAILED: 422,
  NETWORK_ERROR: 502,
  CANCELLED: 409,
  INTERRUPTED: 500,
  SERVICE_RESTARTED: 503,
  SERVICE_UNAVAILABLE: 503,
  KEY_UNAVAILABLE: 409,
  INTERNAL: 500,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, code: ErrorCode, message?: string, status = statusOf[code]): void {
  const envelope: Result<never> = { ok: false, error: new OrdoError(code, message).toPayload() };
  sendJson(res, status, envelope);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (header === undefined || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Body = Buffer | { tooLarge: true; drained: boolean };

/**
 * The body; past MAX_BODY it is no longer kept but still read to its end (up to MAX_DRAIN), so
 * that the 413 reaches a client that writes it all before reading.
 */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAIN) {
      resolve({ tooLarge: true, drained: false });
      return;
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN) {
        req.off('data', onData);
        req.pause();
        resolve({ tooLarge: true, drained: false });
      } else if (size <= MAX_BODY) chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > MAX_BODY ? { tooLarge: true, drained: true } : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The name of a header the request carries more than once, if any. */
function repeatedHeader(req: IncomingMessage): string | undefined {
  for (const [key, name] of Object.entries(SINGLE_HEADERS)) if ((req.headersDistinct[key]?.length ?? 0) > 1) return name;
  return undefined;
}

function callNameOf(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** The token first (401), then the method (405): false when the request was answered with a refusal. */
function admitted(req: IncomingMessage, res: ServerResponse, token: string, method: 'GET' | 'POST'): boolean {
  if (!tokenMatches(req.headers.authorization, token)) {
    sendError(res, 'UNAUTHORIZED');
    return false;
  }
  if (req.method !== method) {
    res.setHeader('allow', method);
    sendError(res, 'INVALID_INPUT', `Méthode non autorisée : utilisez ${method}.`, 405);
    return false;
  }
  return true;
}

/** Order matters: the token first (401), then the method, the name, the body, the schema (400). */
async function handleRpc(req: IncomingMessage, res: ServerResponse, encodedName: string, options: { backend: Backend; token: string }) {
  if (!admitted(req, res, options.token, 'POST')) return;
  const name = callNameOf(encodedName);
  if (name === undefined) {
    sendError(res, 'UNKNOWN_CALL');
    return;
  }
  const body = await readBody(req);
  if (!Buffer.isBuffer(body)) {
    // Read to its end (drained), the connection closes after the answer without a reset; past
    // MAX_DRAIN it is closed on what is still arriving.
    res.setHeader('connection', 'close');
    if (!body.drained) res.on('finish', () => req.destroy());
    sendError(res, 'INVALID_INPUT', 'La requête est trop volumineuse.', 413);
    return;
  }
  let input: unknown = {};
  if (body.length > 0) {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      sendError(res, 'INVALID_INPUT', 'La requête n’est pas un texte UTF-8 valide.');
      return;
    }
    try {
      input = JSON.parse(text);
    } catch {
      sendError(res, 'INVALID_INPUT', 'La requête n’est pas un JSON valide.');
      return;
    }
  }
  const result = await options.backend.call(name, input);
  sendJson(res, result.ok ? 200 : statusOf[result.error.code], result);
}

/** `GET /events`: every pushed event as `event: <name>` / `data: <JSON payload>`, until the client goes. */
function handleEvents(req: IncomingMessage, res: ServerResponse, options: { backend: Backend; token: string }): void {
  if (!admitted(req, res, options.token, 'GET')) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'keep-alive',
  });
  res.write('retry: 2000\n: ordo\n\n');
  const unsubscribe = options.backend.subscribe((event) => {
    res.write(`event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`);
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
  const stop = () => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('error', stop);
}

export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let allowedHosts = new Set<string>();

  const server = createServer((req, res) => {
    const repeated = repeatedHeader(req);
    if (repeated !== undefined) {
      sendError(res, 'INVALID_INPUT', `Requête refusée : l’en-tête « ${repeated} » y figure plusieurs fois.`);
      return;
    }
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) {
      sendError(res, 'FORBIDDEN', 'Hôte non autorisé.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rpc = /^\/rpc\/([^/]+)$/.exec(url.pathname);
    const work = rpc
      ? handleRpc(req, res, rpc[1]!, { backend: options.backend, token })
      : url.pathname === '/events'
        ? Promise.resolve(handleEvents(req, res, { backend: options.backend, token }))
        : options.staticDir !== undefined && (req.method === 'GET' || req.method === 'HEAD')
          ? serveStatic(options.staticDir, url.pathname, req, res)
          : Promise.resolve(sendError(res, 'NOT_FOUND'));
    work.catch((error: unknown) => {
      log.error('request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendError(res, 'INTERNAL');
      else res.destroy();
    });
  });
  server.requestTimeout = 120_000;
  // What Node's parser refuses (two Content-Length, a malformed line) gets a typed answer too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // An answer already under way on this connection cannot be followed by another one.
    const answering = (socket as { _httpMessage?: ServerResponse | null })._httpMessage?.headersSent === true;
    if (error.code === 'ECONNRESET' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    const [status, reason] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout'] : [400, 'Bad Request'];
    const message = status === 408 ? 'La requête n’est pas arrivée à temps.' : status === 431 ? 'Les en-têtes de la requête sont trop volumineux.' : 'La requête HTTP est mal formée.';
    const body = JSON.stringify({ ok: false, error: new OrdoError('INVALID_INPUT', message).toPayload() } satisfies Result<never>);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    appUrl: `${url}/#token=${token}`,
    token,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
