import type { PrescriberProfile } from '../../../shared/domain/profile';
import { useCall } from '../../app/queries';
import { Screen } from '../../components/Screen';
import { fr } from '../../i18n/fr';
import { DrugDatabaseSettings } from '../drugs/DrugDatabaseSettings';
import { PatientImport } from '../patients/PatientImport';
import { ProfileForm } from '../profile/ProfileForm';
import { Backups } from './Backups';
import { Diagnostic } from './Diagnostic';
import { DmpSettings } from './DmpSettings';
import { InteractionSettings } from './InteractionSettings';
import { SigningKey } from './SigningKey';

export function Settings({ profile }: { profile: PrescriberProfile }) {
  const info = useCall('app.info', {});
  return (
    <Screen title={fr.settings.title}>
      <h2>{fr.settings.profileTitle}</h2>
      <ProfileForm initial={profile} submitLabel={fr.save} />
      <PatientImport />
      <DrugDatabaseSettings />
      <InteractionSettings />
      <SigningKey />
      <DmpSettings />
      <Backups />
      <Diagnostic />
      <h2>{fr.settings.about}</h2>
      {info.data ? (
        <dl className="facts">
          <dt>{fr.settings.version}</dt>
          <dd>{info.data.version}</dd>
          <dt>{fr.settings.dataDir}</dt>
          <dd>{info.data.dataDir}</dd>
        </dl>
      ) : null}
    </Screen>
  );
}
