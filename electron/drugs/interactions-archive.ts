/**
 * Where an installation of the thesaurus finds its three tables: a folder as it is, or a zip (a
 * path on this computer, or the bytes a window sent) unpacked into a temporary folder. The tables
 * may sit in a sub-folder of the zip; nothing else of it is written to disk.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { InteractionInstallJob } from '../../shared/calls/interactions';
import { OrdoError } from '../../shared/errors';
import { interactionFiles } from './interactions-import';

/** Each table of the thesaurus is about 1 MB: a claimed size past this is not the thesaurus. */
const MAX_TABLE_BYTES = 32 * 1024 * 1024;
const MAX_ZIP_BYTES = 64 * 1024 * 1024;
const KEPT = 'Le thésaurus précédent est conservé.';
const wanted = new Set<string>(Object.values(interactionFiles));

export interface ThesaurusSource {
  dir: string;
  /** How the GP named it ("ansm-interactions-2016.zip"). */
  sourceName: string;
  /** Deletes what was unpacked (nothing for a folder). */
  cleanup(): Promise<void>;
}

const isZip = (bytes: Uint8Array) => bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);

/** The three tables out of a zip, into a fresh temporary folder. */
export async function unpackThesaurus(bytes: Uint8Array, sourceName: string): Promise<ThesaurusSource> {
  if (!isZip(bytes)) {
    throw new OrdoError('IMPORT_FAILED', `« ${sourceName} » n’est pas une archive .zip : choisissez le fichier .zip du thésaurus ou le dossier qui contient ses tables. ${KEPT}`);
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => wanted.has(basename(file.name)) && !file.name.startsWith('__MACOSX/') && file.originalSize <= MAX_TABLE_BYTES,
    });
  } catch {
    throw new OrdoError('IMPORT_FAILED', `L’archive « ${sourceName} » est illisible (endommagée ou d’un format non pris en charge). ${KEPT}`);
  }
  // The shallowest copy of each table, when the zip holds several.
  const chosen = new Map<string, string>();
  for (const name of Object.keys(entries).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))) {
    const file = basename(name);
    if (!chosen.has(file)) chosen.set(file, name);
  }
  const dir = await mkdtemp(join(tmpdir(), 'ordo-thesaurus-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    for (const [file, name] of chosen) await writeFile(join(dir, file), entries[name]!);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dir, sourceName, cleanup };
}

/** The folder, or the zip, or the folder of the table the GP named. */
export async function thesaurusSource(input: InteractionInstallJob['input'], upload: Uint8Array | undefined): Promise<ThesaurusSource> {
  if (input.source === 'upload') {
    if (upload === undefined) throw new OrdoError('IMPORT_FAILED', 'Le fichier envoyé pour cette installation n’est plus disponible : choisissez-le à nouveau.');
    return unpackThesaurus(upload, input.fileName);
  }
  const path = input.path;
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new OrdoError('IMPORT_FAILED', `« ${path} » est introuvable sur ce poste. ${KEPT}`);
  if (info.isDirectory()) return { dir: path, sourceName: basename(path), cleanup: () => Promise.resolve() };
  if (wanted.has(basename(path))) {
    const dir = dirname(path);
    return { dir, sourceName: basename(dir), cleanup: () => Promise.resolve() };
  }
  if (info.size > MAX_ZIP_BYTES) throw new OrdoError('IMPORT_FAILED', `« ${basename(path)} » est trop volumineux pour être le thésaurus des interactions. ${KEPT}`);
  return unpackThesaurus(await readFile(path), basename(path));
}
