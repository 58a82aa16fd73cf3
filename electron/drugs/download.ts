/**
 * Downloading a BDPM release: the five files from one base URL (the ANSM's address by default,
 * a local server in tests) into a folder, with byte progress. Nothing is written until the
 * first file answers, so an unreachable server leaves no trace.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { isAllowedDownloadAddress } from '../../shared/calls/drugs';
import { OrdoError } from '../../shared/errors';
import { isTransientStatus, TransientNetworkError, type Fetch } from '../net';
import { bdpmFileNames, requiredFiles, type BdpmFileName } from './bdpm-files';

/** The ANSM's public download address; each file is this plus its name. */
export const DEFAULT_BDPM_BASE_URL = 'https://base-donnees-publique.medicaments.gouv.fr/download/file/';

/** A configured address (`ORDO_BDPM_BASE_URL`: a mirror, a proxy, tests), or the official one. */
export function bdpmBaseUrl(configured: string | undefined): string {
  return configured !== undefined && configured.trim() !== '' ? configured.trim() : DEFAULT_BDPM_BASE_URL;
}

const MAX_FILE_BYTES = 200 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 60_000;
/** A mirror behind a CDN may redirect once or twice; more is a loop. */
const MAX_REDIRECTS = 5;
const KEPT = 'Les données précédentes sont conservées.';

export interface DownloadProgress {
  file: BdpmFileName;
  /** Files done out of five, plus the fraction of the current one when its size is known. */
  fraction: number;
}

export interface DownloadResult {
  missing: BdpmFileName[];
  /** Newest Last-Modified of the files, as YYYY-MM-DD, when the server sent one. */
  lastModified: string | null;
}

function lastModifiedDate(header: string | null): string | null {
  if (header === null) return null;
  const time = Date.parse(header);
  return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 10);
}

/** Aborts when no byte arrived for a while, or when the caller aborts. */
function idleTimer(outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error('timeout')), IDLE_TIMEOUT_MS);
  };
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter);
  touch();
  return {
    signal: controller.signal,
    touch,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

/** What a redirect's Location says, resolved against the address that sent it; null when unreadable. */
function redirectTarget(location: string | null, from: string): string | null {
  if (location === null || location.trim() === '') return null;
  try {
    return new URL(location, from).href;
  } catch {
    return null;
  }
}

/** Shortened for a message: scheme, host and path, no query. */
function shown(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return address.slice(0, 100);
  }
}

/**
 * GETs `url`, following redirects by hand: each target must pass the rule of the download
 * address itself (isAllowedDownloadAddress), checked before anything connects to it, so a
 * server on this machine, or a mirror, cannot send the download anywhere the setting could not.
 */
async function fetchFollowingAllowed(fetch: Fetch, url: string, file: BdpmFileName, signal: AbortSignal): Promise<Response> {
  let address = url;
  for (let hops = 0; ; hops++) {
    const response = await fetch(address, { signal, redirect: 'manual' });
    if (response.status < 300 || response.status > 399 || response.status === 304) return response;
    await response.body?.cancel();
    const target = redirectTarget(response.headers.get('location'), address);
    if (target === null) throw new OrdoError('NETWORK_ERROR', `Le téléchargement de ${file} a échoué : redirection (HTTP ${response.status}) sans adresse lisible. ${KEPT}`);
    if (!isAllowedDownloadAddress(target)) {
      throw new OrdoError(
        'NETWORK_ERROR',
        `Le serveur de la base des médicaments redirige ${file} vers une adresse refusée (${shown(target)}) : seule une adresse sécurisée (https://), ou http:// sur ce poste (127.0.0.1, localhost), est suivie. Rien n’a été téléchargé depuis cette adresse. ${KEPT}`,
      );
    }
    if (hops + 1 >= MAX_REDIRECTS) throw new OrdoError('NETWORK_ERROR', `Le téléchargement de ${file} a échoué : trop de redirections (plus de ${MAX_REDIRECTS - 1}). ${KEPT}`);
    address = target;
  }
}

export async function downloadRelease(
  baseUrl: string,
  targetDir: string,
  options: { fetch: Fetch; signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void },
): Promise<DownloadResult> {
  const result: DownloadResult = { missing: [], lastModified: null };
  for (const [index, file] of bdpmFileNames.entries()) {
    const url = `${baseUrl}${file}`;
    const idle = idleTimer(options.signal);
    try {
      let response: Response;
      try {
        response = await fetchFollowingAllowed(options.fetch, url, file, idle.signal);
      } catch (error) {
        if (options.signal?.aborted === true) throw new OrdoError('IMPORT_FAILED', 'Mise à jour interrompue. Les données précédentes sont conservées.');
        if (error instanceof OrdoError) throw error;
        throw new TransientNetworkError(`Le serveur de la base des médicaments est injoignable (${new URL(url).host}). Les données précédentes sont conservées.`);
      }
      if (response.status === 404 && !requiredFiles.has(file)) {
        result.missing.push(file);
        await response.body?.cancel();
        continue;
      }
      if (!response.ok || response.body === null) {
        await response.body?.cancel();
        const message = `Le téléchargement de ${file} a échoué (HTTP ${response.status}). Les données précédentes sont conservées.`;
        throw isTransientStatus(response.status) ? new TransientNetworkError(message) : new OrdoError('NETWORK_ERROR', message);
      }
      const size = Number(response.headers.get('content-length') ?? Number.NaN);
      const modified = lastModifiedDate(response.headers.get('last-modified'));
      if (modified !== null && (result.lastModified === null || modified > result.lastModified)) result.lastModified = modified;
      await mkdir(targetDir, { recursive: true });
      let received = 0;
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      body.on('data', (chunk: Buffer) => {
        received += chunk.length;
        idle.touch();
        if (received > MAX_FILE_BYTES) body.destroy(new OrdoError('IMPORT_FAILED', `${file} dépasse la taille attendue d’un fichier BDPM.`));
        const part = Number.isFinite(size) && size > 0 ? Math.min(1, received / size) : 0;
        options.onProgress?.({ file, fraction: (index + part) / bdpmFileNames.length });
      });
      try {
        await pipeline(body, createWriteStream(join(targetDir, file)));
      } catch (error) {
        if (error instanceof OrdoError) throw error;
        throw new TransientNetworkError(`Le téléchargement de ${file} a été interrompu. Les données précédentes sont conservées.`);
      }
      options.onProgress?.({ file, fraction: (index + 1) / bdpmFileNames.length });
    } finally {
      idle.dispose();
    }
  }
  return result;
}
