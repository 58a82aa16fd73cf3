import { Screen } from '../../components/Screen';
import { fr } from '../../i18n/fr';
import { ProfileForm } from '../profile/ProfileForm';

export function FirstRun() {
  return (
    <main id="main" className="first-run">
      <Screen title={fr.firstRun.title}>
        <p className="lead">{fr.firstRun.intro}</p>
        <ProfileForm initial={null} submitLabel={fr.firstRun.submit} />
      </Screen>
    </main>
  );
}
