import type { outboxCalls } from '../../shared/calls/outbox';
import type { ServicesFor } from '../dispatch';
import type { OutboxService } from './service';

export function outboxServices(outbox: OutboxService): ServicesFor<typeof outboxCalls> {
  return {
    'outbox.list': ({ filter, limit }) => outbox.list(filter, limit),
    'outbox.summary': () => outbox.summary(),
    'outbox.retry': ({ id }) => outbox.retry(id),
    'outbox.sync': ({ trigger }) => outbox.sync(trigger),
    'outbox.configure': (input) => outbox.configure(input),
  };
}
