import { useEffect, useState } from 'react';
import type { PrescriberProfile } from '../../shared/domain/profile';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { FirstRun } from '../features/first-run/FirstRun';
import { OutboxBadge, outboxNavLabel, useOutboxAttention, useOutboxSyncTriggers } from '../features/outbox/OutboxBadge';
import { OutboxScreen } from '../features/outbox/OutboxScreen';
import { DamagedDatabase } from '../features/settings/DamagedDatabase';
import { PrescribeScreen } from '../features/prescriptions/PrescribeScreen';
import { PatientsScreen } from '../features/patients/PatientsScreen';
import { VerifyScreen } from '../features/verify/VerifyScreen';
import { Settings } from '../features/settings/Settings';
import { fr } from '../i18n/fr';
import { on } from './api';
import { queryClient, useCall, useEventBridge } from './queries';
import { hrefOf, routes, useRoute, type Route } from './router';

const navLabels: Record<Route, string> = {
  patients: fr.nav.patients,
  prescribe: fr.nav.prescribe,
  verify: fr.nav.verify,
  outbox: fr.nav.outbox,
  settings: fr.nav.settings,
};

/** The root: one error boundary for the whole window, the event bridge, then the app. */
export function App() {
  return (
    <ErrorBoundary scope="app">
      <Bridged />
    </ErrorBoundary>
  );
}

function Bridged() {
  useEventBridge();
  const profile = useCall('profile.get', {});
  if (profile.isPending) return <p className="loading">{fr.loading}</p>;
  if (profile.isError) return <StartFailure message={profile.error.message} retry={() => void profile.refetch()} />;
  if (profile.data === null) return <FirstRun />;
  return <Frame profile={profile.data} />;
}

/**
 * The first read failed. When the service says the database is not open (damaged: its degraded
 * mode), the « base endommagée » screen with the diagnosis and the backups; otherwise the message.
 */
function StartFailure({ message, retry }: { message: string; retry: () => void }) {
  const backups = useCall('backup.list', {});
  if (backups.isPending) return <p className="loading">{fr.loading}</p>;
  if (backups.data?.database.open === false) return <DamagedDatabase list={backups.data} />;
  return (
    <main id="main" className="fatal" role="alert">
      <p>{message}</p>
      <button type="button" onClick={retry}>
        {fr.retry}
      </button>
    </main>
  );
}

/** Said in the window when the service worker had to be restarted (the adapter pushes it), or a backup was restored. */
function ServiceRestarted() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const offRestarted = on('service.restarted', (payload) => setMessage(payload.message));
    // A backup restored (from this window or the damaged-database screen): said once the frame is back.
    const offReopened = on('database.reopened', (payload) => setMessage(payload.reason === 'restored' ? payload.message : null));
    return () => {
      offRestarted();
      offReopened();
    };
  }, []);
  if (message === null) return null;
  return (
    <div className="banner banner--alert" role="alert">
      <p>{message}</p>
      <button type="button" className="secondary" onClick={() => setMessage(null)}>
        {fr.dismiss}
      </button>
    </div>
  );
}

function Frame({ profile }: { profile: PrescriberProfile }) {
  const route = useRoute();
  useOutboxSyncTriggers();
  const attention = useOutboxAttention();
  return (
    <div className="frame">
      <ServiceRestarted />
      {/* The hash is the router's: jump to the content by focus, not by changing the address. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {fr.skipToContent}
      </a>
      <header className="frame__header">
        <span className="frame__brand">{fr.appName}</span>
        <span className="frame__who">
          Dr {profile.firstName} {profile.lastName}
        </span>
      </header>
      <nav className="frame__nav" aria-label={fr.nav.label}>
        <ul>
          {routes.map((name) => (
            <li key={name}>
              <a href={hrefOf(name)} aria-current={route === name ? 'page' : undefined} aria-label={name === 'outbox' ? outboxNavLabel(attention) : undefined}>
                {navLabels[name]}
                {name === 'outbox' ? <OutboxBadge attention={attention} /> : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="frame__main" tabIndex={-1}>
        {/* One boundary per screen, reset when the GP goes to another one. */}
        <ErrorBoundary scope="screen" key={route} onRetry={() => queryClient.removeQueries()}>
          {route === 'settings' ? (
            <Settings profile={profile} />
          ) : route === 'patients' ? (
            <PatientsScreen />
          ) : route === 'prescribe' ? (
            <PrescribeScreen />
          ) : route === 'verify' ? (
            <VerifyScreen />
          ) : (
            <OutboxScreen />
          )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
