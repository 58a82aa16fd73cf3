/** The drug service as tests use it: tasks inline, and a folder import like `ordo import-bdpm`'s job. */
import type { ImportSummary } from '../../shared/calls/drugs';
import type { Clock } from '../../electron/clock';
import { importBdpm } from '../../electron/drugs/import';
import { createDrugService, type DrugService, type DrugServiceOptions } from '../../electron/drugs/service';
import { tasks } from '../../electron/tasks';
import { taskRunner } from '../../electron/worker/tasks';

export function inlineDrugService(options: Omit<DrugServiceOptions, 'runTask' | 'threads'>): DrugService {
  return createDrugService({ ...options, runTask: taskRunner(tasks, false), threads: false });
}

/** Imports a release folder into `dataDir` (what the drugs.update job does), then has `drugs` switch to it. */
export async function importFolder(drugs: DrugService, dataDir: string, dir: string, clock: Clock, releaseDate?: string): Promise<ImportSummary> {
  const summary = await importBdpm(dir, dataDir, {
    sqlite: {},
    now: () => clock.now(),
    source: dir,
    releaseDate: releaseDate === undefined ? undefined : { date: releaseDate, source: 'declared' },
  });
  await drugs.installed();
  return summary;
}
