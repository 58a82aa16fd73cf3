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
        response = await options.fetch(url, { signal: idle.signal, redirect: 'follow' });
      } catch {
        if (options.signal?.aborted === true) throw new OrdoError('IMPORT_FAILED', 'Mise à jour interrompue. Les données précédentes sont conservées.');
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
