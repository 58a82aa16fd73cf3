import type { drugCalls } from '../../shared/calls/drugs';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { recordInstall } from './install-audit';
import { createDrugService, type DrugService } from './service';
import { drugSource, saveDrugSource } from './source';

/**
 * `ORDO_BDPM_ALLOW_SMALL_RELEASE=1` lets a release of fewer than 1,000 specialties or packs
 * replace the demonstration data: test releases (the embedded sample served on 127.0.0.1), never
 * a GP's. It does not lift the other checks, nor the 10 % rule against a real referential.
 */
export const ALLOW_SMALL_RELEASE_ENV = 'ORDO_BDPM_ALLOW_SMALL_RELEASE';
export const allowSmallRelease = (env: Readonly<Record<string, string | undefined>> = process.env) => env[ALLOW_SMALL_RELEASE_ENV] === '1';

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
      audit: (entry) => recordInstall(ctx.db, entry, ctx.clock.now()),
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
    'drugs.searchAhead': ({ query }) => drugs.searchAhead(query),
    'drugs.get': (input) => drugs.get(input.cis),
    'drugs.status': () => drugs.status(),
    'drugs.update': (input) =>
      ctx.jobs.submit(
        'drugs.update',
        {
          source: 'download',
          baseUrl: drugSource(ctx.db, process.env).baseUrl,
          ...(input.allowPartial === true ? { allowPartial: true } : {}),
          ...(allowSmallRelease(process.env) ? { allowSmallRelease: true } : {}),
        },
        { reuseActive: true },
      ),
    'drugs.getSource': () => drugSource(ctx.db, process.env),
    'drugs.setSource': (input) => {
      if (saveDrugSource(ctx.db, input.baseUrl, ctx.clock.now())) ctx.emit('settings.changed', { key: 'drugs.bdpmBaseUrl' });
      return drugSource(ctx.db, process.env);
    },
    'drugs.interactions': (input) => drugs.interactions(input.substanceCodes),
  };
}
