/** Every one-shot task a thread of its own may run (electron/worker/tasks.ts). */
import { diagnoseTask } from './diagnostic/diagnose';
import { installDemoTask, readIndexTask } from './drugs/index-loader';
import type { TaskFn } from './worker/tasks';

export const tasks: Record<string, TaskFn<never>> = {
  'drugs.readIndex': readIndexTask as TaskFn<never>,
  'drugs.installDemo': installDemoTask as TaskFn<never>,
  'app.diagnose': diagnoseTask as TaskFn<never>,
};
