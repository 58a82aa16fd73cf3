import type { drugCalls } from '../../shared/calls/drugs';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { createDrugService, type DrugService } from './service';
import { drugSource, saveDrugSource } from './source';

/**
 * One drug service per app. The download address is read at each update: `ORDO_BDPM_BASE_URL`
 * (tests, scripts), else Réglages, else the ANSM's.
 */
const services = new WeakMap<AppContext, DrugService>();

export function drugServiceOf(ctx: AppContext): DrugService {
  let service = services.get(ctx);
  if (service === undefined) {
    const created = createDrugService({
      dataDir: ctx.dataDir,
      clock: ctx.clock,
      sqlite: ctx.sqlite,
      runTask: ctx.runTask,
      threads: ctx.threads,
      baseUrl: () => drugSource(ctx.db, process.env).baseUrl,
      onChange: (kind) => ctx.emit('referential.changed', { kind }),
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
    'drugs.search': ({ query, ...options }) => drugs.search(query, options),
    'drugs.get': (input) => drugs.get(input.cis),
    'drugs.status': () => drugs.status(),
    'drugs.update': () => ctx.jobs.submit('drugs.update', { source: 'download', baseUrl: drugSource(ctx.db, process.env).baseUrl }, { reuseActive: true }),
    'drugs.getSource': () => drugSource(ctx.db, process.env),
    'drugs.setSource': (input) => {
      if (saveDrugSource(ctx.db, input.baseUrl, ctx.clock.now())) ctx.emit('settings.changed', { key: 'drugs.bdpmBaseUrl' });
      return drugSource(ctx.db, process.env);
    },
    'drugs.interactions': (input) => drugs.interactions(input.substanceCodes),
  };
}
