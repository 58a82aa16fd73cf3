import type { interactionCalls, ThesaurusInfo } from '../../shared/calls/interactions';
import type { AppContext } from '../context';
import type { ServicesFor } from '../dispatch';
import { drugServiceOf } from './calls';
import { interactionsOfSubstances } from './interactions';
import type { InteractionsHandle } from './interactions-store';

const infoOf = (handle: InteractionsHandle | undefined): ThesaurusInfo | null =>
  handle === undefined
    ? null
    : { version: handle.version, edition: handle.edition, importedAt: handle.importedAt, rules: handle.rules, molecules: handle.molecules, classes: handle.classes };

/** The thesaurus' calls: what is installed, its installation as a job, a drug's interactions. */
export function interactionServices(ctx: AppContext): ServicesFor<typeof interactionCalls> {
  const drugs = drugServiceOf(ctx);
  return {
    'interactions.status': () => ({ thesaurus: infoOf(drugs.rules()) }),
    'interactions.install': async (input) => {
      // A referential to match the names against (the demonstration one on a first start).
      await drugs.ready();
      const idempotency = input.requestId === undefined ? {} : { idempotencyKey: `interactions.install:${input.requestId}` };
      if (input.source === 'path') return ctx.jobs.submit('interactions.install', { source: 'path', path: input.path }, idempotency);
      const bytes = Buffer.from(input.contentBase64, 'base64');
      return ctx.jobs.submit('interactions.install', { source: 'upload', fileName: input.fileName, bytes: bytes.length }, { ...idempotency, payloads: { file: bytes } });
    },
    'interactions.ofDrug': async ({ cis }) => {
      const detail = await drugs.get(cis);
      const current = await drugs.ready();
      const rules = drugs.rules();
      if (rules === undefined || current === undefined) return { cis, thesaurus: null, interactions: [] };
      const codes = detail.composition.map((c) => c.substanceCode);
      return { cis, thesaurus: infoOf(rules), interactions: interactionsOfSubstances(rules.db, current.db, codes) };
    },
  };
}
