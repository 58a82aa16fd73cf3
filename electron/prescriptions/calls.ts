import type { prescriptionCalls } from '../../shared/calls/prescriptions';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import type { DrugService } from '../drugs/api';
import type { SigningKey } from '../keys/signing-key';
import type { InteractionRules } from './checks';
import { draftFromExchange } from './exchange';
import { createPrintService, type Printer } from './print';
import { createPrescriptionService } from './service';
import { verifyCode } from './verify';

export function prescriptionServices(
  ctx: AppContext,
  drugs: DrugService,
  rules: () => Promise<InteractionRules | undefined>,
  signingKey: () => SigningKey,
  printer?: Printer,
): ServicesFor<typeof prescriptionCalls> {
  const prescriptions = createPrescriptionService({ db: ctx.db, clock: ctx.clock, drugs, rules, signingKey });
  const printing = createPrintService({ db: ctx.db, dataDir: ctx.dataDir, ...(printer === undefined ? {} : { printer }) });
  const changed = <T extends { id: number; patientId: number }>(draft: T): T => {
    ctx.emit('prescriptions.changed', { id: draft.id, patientId: draft.patientId });
    return draft;
  };
  return {
    'prescriptions.list': ({ patientId }) => prescriptions.list(patientId),
    'prescriptions.create': async ({ patientId }) => changed(await prescriptions.create(patientId)),
    'prescriptions.get': ({ id }) => prescriptions.get(id),
    'prescriptions.save': async (input) => changed(await prescriptions.save(input)),
    'prescriptions.discard': ({ id }) => {
      const draft = prescriptions.get(id);
      return draft.then((d) => {
        prescriptions.discard(id);
        ctx.emit('prescriptions.changed', { id, patientId: d.patientId });
        return { id };
      });
    },
    'prescriptions.renew': async ({ id }) => changed(await prescriptions.renew(id)),
    'prescriptions.sign': async (input) => changed(await prescriptions.sign(input)),
    'prescriptions.print': ({ id }) => printing.print(id),
    'prescriptions.verify': ({ code }) => verifyCode(ctx.db, ctx.dataDir, code),
    'prescriptions.cancel': async (input) => changed(await prescriptions.cancel(input)),
    'prescriptions.fromExchange': async ({ document }) => {
      const result = await draftFromExchange({ db: ctx.db, clock: ctx.clock, drugs, prescriptions }, document);
      if (result.patientCreated) ctx.emit('patients.changed', { ids: [result.patientId], count: 1 });
      ctx.emit('prescriptions.changed', { id: result.id, patientId: result.patientId });
      return result;
    },
    'favourites.list': () => prescriptions.favourites(),
    'favourites.save': async (input) => {
      const favourite = await prescriptions.saveFavourite(input);
      ctx.emit('favourites.changed', {});
      return favourite;
    },
    'favourites.delete': ({ id }) => {
      const result = prescriptions.deleteFavourite(id);
      ctx.emit('favourites.changed', {});
      return result;
    },
    'allergens.search': async ({ query, limit }) => (await rules())?.search(query, limit ?? 20) ?? [],
  };
}
