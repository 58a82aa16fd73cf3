import type { appCalls } from '../../shared/calls/app';
import type { Diagnostic } from '../../shared/calls/app';
import { latestVersion } from '../db/migrate';
import { migrations } from '../db/migrations';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { APP_VERSION } from '../version';
import { createProfileService } from './service';

export function appServices(ctx: AppContext): ServicesFor<typeof appCalls> {
  const profile = createProfileService(ctx.db, ctx.clock);
  return {
    'app.info': () => ({
      version: APP_VERSION,
      schemaVersion: latestVersion(migrations),
      dataDir: ctx.dataDir,
      mode: ctx.mode,
    }),
    'app.diagnose': () => ctx.runTask<Diagnostic>('app.diagnose', { dataDir: ctx.dataDir, sqlite: ctx.sqlite }),
    'profile.get': () => profile.get(),
    'profile.save': (input) => profile.save(input),
  };
}
