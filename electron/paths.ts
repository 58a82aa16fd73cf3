import { homedir } from 'node:os';
import { join } from 'node:path';

/** Per-user data folder used by the CLI and the host when no --data-dir is given. */
export function defaultDataDir(): string {
  const fromEnv = process.env['ORDO_DATA_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  switch (process.platform) {
    case 'win32':
      return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Ordo');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Ordo');
    default:
      return join(process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'ordo');
  }
}

export const DATABASE_FILE = 'ordo.db';

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}
