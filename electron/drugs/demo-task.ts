import type { OpenOptions } from '../db/types';
import { demoReferentialDir, demoReleaseDate } from './assets';
import { importBdpm } from './import';

/** In a task thread: imports the embedded demonstration referential (first start, nothing installed). */
export async function installDemoTask(args: { dataDir: string; sqlite: OpenOptions; now: string }): Promise<boolean> {
  const demoDir = demoReferentialDir();
  if (demoDir === undefined) return false;
  const releaseDate = demoReleaseDate(demoDir);
  await importBdpm(demoDir, args.dataDir, {
    sqlite: args.sqlite,
    now: () => new Date(args.now),
    source: 'assets/bdpm-sample',
    demo: true,
    releaseDate: releaseDate === null ? undefined : { date: releaseDate, source: 'declared' },
  });
  return true;
}
