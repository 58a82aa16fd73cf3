/**
 * Which processes have the data folder open. Every process that opens ordo.db through
 * `createApp` (the app's service worker, `ordo serve`, a one-shot command) leaves a small file
 * `<data folder>/in-use/<pid>.json` while it holds it, and a restore leaves one of kind `restore`.
 * A file whose process is gone (killed, crashed) counts for nothing and is removed when seen.
 *
 * Before this there was no mark: Electron's single-instance lock is per user folder and invisible
 * to the command line. `ordo restore` refuses while another live process holds the folder; the
 * app restores only after closing its own database, and refuses too when another process holds it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OrdoError } from '../../shared/errors';
import { pidAlive } from '../jobs/liveness';

export const IN_USE_FOLDER = 'in-use';

const holderSchema = z.object({
  pid: z.number().int().positive(),
  kind: z.enum(['app', 'restore']),
  /** 'electron' | 'host' for an app. */
  mode: z.string(),
  since: z.string(),
});
export type Holder = z.infer<typeof holderSchema>;

const folderOf = (dataDir: string) => join(dataDir, IN_USE_FOLDER);
const fileOf = (dataDir: string, kind: Holder['kind']) => join(folderOf(dataDir), `${process.pid}${kind === 'restore' ? '-restore' : ''}.json`);

/** Counts of holders by this process (several apps of one process on one folder: tests, a restarted worker). */
const ownCounts = new Map<string, number>();

/**
 * Marks the folder as held by this process; the returned function releases it. Refuses (its mark
 * removed) while a restore of another live process is under way: the mark is written before the
 * others are read, as a restore does, so that of two starting at once at least one sees the other.
 */
export function holdDataDir(dataDir: string, kind: Holder['kind'], mode: string, now: Date): () => void {
  const file = fileOf(dataDir, kind);
  const key = file;
  const count = ownCounts.get(key) ?? 0;
  if (count === 0) {
    mkdirSync(folderOf(dataDir), { recursive: true });
    const holder: Holder = { pid: process.pid, kind, mode, since: now.toISOString() };
    writeFileSync(file, JSON.stringify(holder));
  }
  ownCounts.set(key, count + 1);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const left = (ownCounts.get(key) ?? 1) - 1;
    if (left > 0) {
      ownCounts.set(key, left);
      return;
    }
    ownCounts.delete(key);
    rmSync(file, { force: true });
  };
  // Our mark first, then the others': a restore starting meanwhile sees ours, or we see its.
  const restoring = holders(dataDir).find((h) => h.kind === 'restore' && h.pid !== process.pid);
  if (restoring !== undefined) {
    release();
    throw new OrdoError('CONFLICT', `Une restauration de la base est en cours dans ce dossier (processus ${restoring.pid}) : relancez Ordo quand elle sera terminée.`);
  }
  return release;
}

/** The live holders of the folder (this process included); files of dead processes are removed. */
export function holders(dataDir: string): Holder[] {
  const folder = folderOf(dataDir);
  if (!existsSync(folder)) return [];
  const live: Holder[] = [];
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.json')) continue;
    const file = join(folder, name);
    let holder: Holder | undefined;
    try {
      const parsed = holderSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      holder = parsed.success ? parsed.data : undefined;
    } catch {
      holder = undefined;
    }
    if (holder === undefined) continue; // being written, or not ours: neither counted nor removed
    if (holder.pid !== process.pid && !pidAlive(holder.pid)) {
      rmSync(file, { force: true });
      continue;
    }
    live.push(holder);
  }
  return live;
}

/** Refuses when a process other than this one holds the folder. */
export function refuseIfHeldByOthers(dataDir: string): void {
  const other = holders(dataDir).find((h) => h.pid !== process.pid);
  if (other === undefined) return;
  const who = other.kind === 'restore' ? 'une autre restauration' : other.mode === 'electron' ? 'l’application Ordo' : 'Ordo (« ordo serve » ou une autre commande)';
  throw new OrdoError(
    'CONFLICT',
    `Ce dossier de données est ouvert par ${who} (processus ${other.pid}) : fermez-la puis relancez la restauration, ou restaurez depuis Réglages → Sauvegardes. Si Ordo n’est pas lancé, supprimez le fichier ${join(folderOf(dataDir), `${other.pid}${other.kind === 'restore' ? '-restore' : ''}.json`)}.`,
  );
}
