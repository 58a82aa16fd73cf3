import { useEffect } from 'react';
import { useAction, useCall } from '../../app/queries';
import { fr } from '../../i18n/fr';
import { formatNumber } from '../../i18n/numbers';
import './outbox.css';

/** How many documents « Envois » has to deal with (waiting or refused), kept current by events. */
export function useOutboxAttention(): number {
  const summary = useCall('outbox.summary', {});
  return summary.data?.attention ?? 0;
}

/** The link's accessible name with its badge (« Envois, 3 documents à traiter »), or undefined when there is none. */
export const outboxNavLabel = (attention: number) => (attention > 0 ? fr.outbox.badge(attention) : undefined);

/** The visible badge (its meaning is in the link's name). */
export function OutboxBadge({ attention }: { attention: number }) {
  if (attention <= 0) return null;
  return (
    <span className="nav-badge" aria-hidden="true" data-testid="outbox-badge">
      {formatNumber(attention)}
    </span>
  );
}

/** Once per start of the app: the launch's sync. */
let launched = false;

/** Starts a sync of the outbox at launch (once) and whenever the network comes back. */
export function useOutboxSyncTriggers(): void {
  const sync = useAction('outbox.sync');
  const { mutate } = sync;
  useEffect(() => {
    if (!launched) {
      launched = true;
      mutate({ trigger: 'launch' });
    }
    const online = () => mutate({ trigger: 'online' });
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [mutate]);
}
