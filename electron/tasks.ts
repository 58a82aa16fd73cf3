/** Every one-shot task a thread of its own may run (electron/worker/tasks.ts). */
import { diagnoseTask } from './diagnostic/diagnose';
import { installDemoTask, readIndexTask } from './drugs/index-loader';
import type { TaskFn } from './worker/tasks';

export const tasks: Record<string, TaskFn> = {
  'drugs.readIndex': readIndexTask,
  'drugs.installDemo': installDemoTask,
  'app.diagnose': diagnoseTask,
};
