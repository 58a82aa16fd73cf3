import type { jobCalls } from '../../shared/calls/jobs';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';

export function jobServices(ctx: AppContext): ServicesFor<typeof jobCalls> {
  return {
    'jobs.list': (input) => ({ jobs: ctx.jobs.list(input) }),
    'jobs.get': ({ id }) => ctx.jobs.get(id),
    'jobs.cancel': ({ id }) => ctx.jobs.cancel(id),
  };
}
