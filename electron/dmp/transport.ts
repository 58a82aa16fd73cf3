/**
 * The HTTP leg of the DMP exchanges: one POST, its reply, and every network failure as a
 * `DmpNetworkError` of a known kind with a French message for the GP. Keep-alive agents reuse
 * connections (a drain sends hundreds of documents in a row); the timeout covers the whole
 * exchange, connection to last byte of the reply.
 *
 * Only https:// is accepted, except http:// to this computer's loopback (the sandbox DMP).
 */
import http from 'node:http';
import https from 'node:https';

export interface DmpRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface DmpReply {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends one request. `close`, when there, releases the kept-alive connections. */
export type DmpTransport = ((req: DmpRequest) => Promise<DmpReply>) & { close?: () => void };

export type DmpNetworkErrorKind = 'timeout' | 'reset' | 'refused' | 'network';

/** The exchange did not complete: nothing is known of what the DMP did with the request. */
export class DmpNetworkError extends Error {
  constructor(
    readonly kind: DmpNetworkErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DmpNetworkError';
  }
}

/** The endpoint is not one Ordo may send to (configuration, not network): nothing was sent. */
export class DmpEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DmpEndpointError';
  }
}

/** The largest reply read: a RegistryResponse is a few kilobytes. */
const MAX_REPLY_BYTES = 8 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The URL, if Ordo may post to it. */
export function checkEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DmpEndpointError(`Adresse du DMP invalide : « ${raw} ».`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  throw new DmpEndpointError('L’adresse du DMP doit commencer par https:// (http:// n’est admis que vers ce poste, pour le DMP de démonstration).');
}

function describe(error: NodeJS.ErrnoException, url: URL): DmpNetworkError {
  const where = url.host;
  switch (error.code) {
    case 'ECONNREFUSED':
      return new DmpNetworkError('refused', `Le DMP (${where}) refuse la connexion : le service est peut-être arrêté.`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new DmpNetworkError('reset', `La connexion au DMP (${where}) a été coupée avant la réponse.`);
    case 'ETIMEDOUT':
      return new DmpNetworkError('timeout', `Le DMP (${where}) n’a pas répondu à temps.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DmpNetworkError('network', `Le nom du serveur du DMP (${url.hostname}) est introuvable : vérifiez la connexion Internet.`);
    default:
      if (/socket hang up|aborted/i.test(error.message)) return new DmpNetworkError('reset', `La connexion au DMP (${where}) a été coupée avant la réponse.`);
      if (/certificate|SSL|TLS/i.test(`${error.code ?? ''} ${error.message}`)) return new DmpNetworkError('network', `La connexion sécurisée au DMP (${where}) a échoué : certificat refusé.`);
      return new DmpNetworkError('network', `Le DMP (${where}) est injoignable (${error.code ?? error.message}).`);
  }
}

/**
 * The transport over node:http / node:https. Each transport has its own keep-alive agents; call
 * `close()` when done with it (a drain, a job run) so that no idle socket keeps the process alive.
 */
export function httpTransport(): DmpTransport {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 32, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 32, scheduling: 'lifo' }),
  };
  const send = (req: DmpRequest): Promise<DmpReply> =>
    new Promise<DmpReply>((resolve, reject) => {
      let url: URL;
      try {
        url = checkEndpoint(req.url);
      } catch (error) {
        reject(error instanceof Error ? error : new DmpEndpointError(String(error)));
        return;
      }
      if (req.signal?.aborted) {
        reject(new DmpNetworkError('network', 'Envoi au DMP interrompu.'));
        return;
      }
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (error: DmpNetworkError) => {
        finish(() => reject(error));
        request.destroy();
      };
      const lib = url.protocol === 'https:' ? https : http;
      const request = lib.request(url, {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        headers: { ...req.headers, 'content-length': String(req.body.length) },
      });
      const timer = setTimeout(() => fail(new DmpNetworkError('timeout', `Le DMP (${url.host}) n’a pas répondu en ${Math.round(req.timeoutMs / 100) / 10} s.`)), req.timeoutMs);
      const onAbort = () => fail(new DmpNetworkError('network', 'Envoi au DMP interrompu.'));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error: NodeJS.ErrnoException) => finish(() => reject(describe(error, url))));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            fail(new DmpNetworkError('network', `La réponse du DMP (${url.host}) est anormalement longue.`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error: NodeJS.ErrnoException) => finish(() => reject(describe(error, url))));
        const cut = () => finish(() => reject(new DmpNetworkError('reset', `La connexion au DMP (${url.host}) a été coupée pendant la réponse.`)));
        response.on('close', () => {
          if (!response.complete) cut();
        });
        response.on('end', () => {
          if (!response.complete) {
            cut();
            return;
          }
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          finish(() => resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) }));
        });
      });
      request.end(req.body);
    });
  return Object.assign(send, {
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}
