/**
 * The French sentences of the backups and of a damaged database, in one place: the damaged
 * database's (the start-up check, the degraded mode, the diagnostic), and the cause of a file
 * operation or SQLite call that failed (a full disk, a refusal, a read-only disk), so that no
 * message shows SQLite's or Node's English text.
 */

/** The one sentence for « the database file is damaged » (start-up check, degraded mode, diagnostic). */
export const DAMAGED =
  'Le fichier de la base de données est endommagé : une partie ne peut plus être lue. Restaurez une sauvegarde (Réglages → Sauvegardes, ou « ordo restore »).';

const codeOf = (error: unknown): string => {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
};

/** SQLite saying a file is damaged or not a database (as opposed to busy, full or refused). */
export function isDamageError(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/**
 * The cause of a failed file operation or SQLite call, in French, naming `where` (a file or a
 * folder); null when it is none of the known causes (the caller then says what it was doing).
 */
export function fileErrorCause(error: unknown, where: string): string | null {
  const code = codeOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) return `Le disque est plein : libérez de la place sur le disque de « ${where} » puis réessayez.`;
  if (code === 'EROFS' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) return `Le disque est en lecture seule : « ${where} » ne peut pas être écrit.`;
  if (code === 'EACCES' || code === 'EPERM' || code.startsWith('SQLITE_PERM') || code === 'SQLITE_AUTH') return `Ordo n’a pas les droits nécessaires sur « ${where} » (droits du dossier ou du fichier).`;
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_') || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') return `« ${where} » n’a pas pu être ouvert (dossier absent ou inaccessible).`;
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR')) return `Le disque a signalé une erreur de lecture ou d’écriture sur « ${where} ».`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return `« ${where} » est verrouillé par un autre programme ou une autre tâche d’Ordo : réessayez dans un instant.`;
  return null;
}

/** The French cause, or a generic one with the error's code (never its English message). */
export function describeFailure(error: unknown, where: string): string {
  const cause = fileErrorCause(error, where);
  if (cause !== null) return cause;
  const code = codeOf(error);
  return code === '' ? `Erreur imprévue sur « ${where} ».` : `Erreur imprévue sur « ${where} » (code ${code}).`;
}

/** integrity_check's lines summarised in French: how many pages (or problems) it found. */
export function integritySummary(lines: readonly string[]): string {
  const problems = lines.map((l) => l.replace(/^\*\*\* in database \S+ \*\*\*\s*/, '').trim()).filter((l) => l !== '' && l !== 'ok');
  const pages = new Set<string>();
  for (const line of problems) for (const m of line.matchAll(/page (\d+)/g)) pages.add(m[1]!);
  if (pages.size > 0) return pages.size === 1 ? '1 page endommagée' : `${pages.size} pages endommagées`;
  const n = Math.max(problems.length, 1);
  return n === 1 ? '1 anomalie relevée' : `${n} anomalies relevées`;
}
