/** Every one-shot task a thread of its own may run (electron/worker/tasks.ts). */
import { backupTask, quickCheckTask, restoreTask } from './backup/api';
import { diagnoseTask } from './diagnostic/diagnose';
import { installDemoTask } from './drugs/demo-task';
import { rederiveTask } from './drugs/rederive';
import type { TaskFn } from './worker/tasks';

export const tasks: Record<string, TaskFn> = {
  'drugs.installDemo': installDemoTask,
  'drugs.rederive': rederiveTask,
  'app.diagnose': diagnoseTask,
  'backup.create': backupTask,
  'backup.restore': restoreTask,
  'backup.quickCheck': quickCheckTask,
};
