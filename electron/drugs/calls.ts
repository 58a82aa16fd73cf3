import type { drugCalls } from '../../shared/calls/drugs';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { createDrugService, type DrugService } from './service';
import { drugSource, saveDrugSource } from './source';

/**
 * One drug service per app; the CLI reaches it through here too. The download address is read
 * at each update: `ORDO_BDPM_BASE_URL` (tests, scripts), else Réglages, else the ANSM's.
 */
const services = new WeakMap<AppContext, DrugService>();

export function drugServiceOf(ctx: AppContext): DrugService {
  let service = services.get(ctx);
  if (service === undefined) {
    const created = createDrugService({
      dataDir: ctx.dataDir,
      clock: ctx.clock,
      sqlite: ctx.sqlite,
      baseUrl: () => drugSource(ctx.db, process.env).baseUrl,
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
    'drugs.getSource': () => drugSource(ctx.db, process.env),
    'drugs.setSource': (input) => {
      saveDrugSource(ctx.db, input.baseUrl, ctx.clock.now());
      return drugSource(ctx.db, process.env);
    },
    'drugs.interactions': (input) => drugs.interactions(input.substanceCodes),
  };
}
