import type { PrescriberProfile } from '../../shared/domain/profile';
import { FirstRun } from '../features/first-run/FirstRun';
import { Placeholder } from '../features/Placeholder';
import { PrescribeScreen } from '../features/drugs/PrescribeScreen';
import { PatientsScreen } from '../features/patients/PatientsScreen';
import { Settings } from '../features/settings/Settings';
import { fr } from '../i18n/fr';
import { useCall } from './queries';
import { hrefOf, routes, useRoute, type Route } from './router';

const navLabels: Record<Route, string> = {
  patients: fr.nav.patients,
  prescribe: fr.nav.prescribe,
  outbox: fr.nav.outbox,
  settings: fr.nav.settings,
};

export function App() {
  const profile = useCall('profile.get', {});
  if (profile.isPending) return <p className="loading">{fr.loading}</p>;
  if (profile.isError) {
    return (
      <main id="main" className="fatal" role="alert">
        <p>{profile.error.message}</p>
        <button type="button" onClick={() => void profile.refetch()}>
          {fr.retry}
        </button>
      </main>
    );
  }
  if (profile.data === null) return <FirstRun />;
  return <Frame profile={profile.data} />;
}

function Frame({ profile }: { profile: PrescriberProfile }) {
  const route = useRoute();
  return (
    <div className="frame">
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
              <a href={hrefOf(name)} aria-current={route === name ? 'page' : undefined}>
                {navLabels[name]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="frame__main" tabIndex={-1}>
        {route === 'settings' ? (
          <Settings profile={profile} />
        ) : route === 'patients' ? (
          <PatientsScreen />
        ) : route === 'prescribe' ? (
          <PrescribeScreen />
        ) : (
          <Placeholder title={fr.screens.outbox.title} coming={fr.screens.outbox.coming} />
        )}
      </main>
    </div>
  );
}
