import type { drugCalls } from '../../shared/calls/drugs';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { bdpmBaseUrl } from './download';
import { createDrugService, type DrugService } from './service';

/**
 * One drug service per app; the CLI reaches it through here too. Its configuration is read here,
 * once: `ORDO_BDPM_BASE_URL` replaces the ANSM's download address (a mirror, a proxy, tests).
 */
const services = new WeakMap<AppContext, DrugService>();

export function drugServiceOf(ctx: AppContext): DrugService {
  let service = services.get(ctx);
  if (service === undefined) {
    const created = createDrugService({
      dataDir: ctx.dataDir,
      clock: ctx.clock,
      sqlite: ctx.sqlite,
      baseUrl: bdpmBaseUrl(process.env['ORDO_BDPM_BASE_URL']),
      fetch: (url, init) => fetch(url, init),
    });
    ctx.onClose(() => created.close());
    services.set(ctx, created);
    service = created;
  }
  return service;
}

export function drugServices(ctx: AppContext): ServicesFor<typeof drugCalls> {
  const drugs = drugServiceOf(ctx);
  return {
    'drugs.search': (input) => drugs.search(input.query, input.limit),
    'drugs.get': (input) => drugs.get(input.cis),
    'drugs.status': () => drugs.status(),
    'drugs.update': () => drugs.job.start(),
    'drugs.updateProgress': () => drugs.job.snapshot(),
    'drugs.interactions': (input) => drugs.interactions(input.substanceCodes),
  };
}
