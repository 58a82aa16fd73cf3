import type { OpenOptions } from '../db/types';
import { demoReferentialDir, demoReleaseDate } from './assets';
import { importRelease } from './import';
import { referentialInstallEntry, type InstallAudit } from './install-audit';

export const DEMO_SOURCE = 'assets/bdpm-sample';

/**
 * In a task thread: imports the embedded demonstration referential (first start, nothing
 * installed). Returns the audit entry of the install for the service to record (this thread
 * has no practice database), or false when the sample is not found.
 */
export async function installDemoTask(args: { dataDir: string; sqlite: OpenOptions; now: string }): Promise<InstallAudit | false> {
  const demoDir = demoReferentialDir();
  if (demoDir === undefined) return false;
  const releaseDate = demoReleaseDate(demoDir);
  const release = await importRelease(demoDir, args.dataDir, {
    sqlite: args.sqlite,
    now: () => new Date(args.now),
    source: DEMO_SOURCE,
    demo: true,
    releaseDate: releaseDate === null ? undefined : { date: releaseDate, source: 'declared' },
  });
  return referentialInstallEntry(release, { source: DEMO_SOURCE, demo: true });
}
