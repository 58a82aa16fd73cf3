import { displayName } from '../../../shared/domain/patient-names';
import type { PatientRecord } from '../../../shared/domain/patient-record';
import { useCall } from '../../app/queries';
import { hrefOf, patientHref, useSubPath } from '../../app/router';
import { Screen } from '../../components/Screen';
import { fr } from '../../i18n/fr';
import { PatientForm } from './PatientForm';
import { PatientList } from './PatientList';
import { PatientPage } from './PatientPage';
import './patients.css';

const t = fr.patients;
const open = (saved: PatientRecord) => {
  window.location.hash = patientHref(saved.id);
};

function NewPatient() {
  return (
    <Screen title={t.createTitle}>
      <PatientForm initial={null} onSaved={open} onCancel={() => (window.location.hash = hrefOf('patients'))} />
    </Screen>
  );
}

function EditPatient({ id }: { id: number }) {
  const patient = useCall('patients.get', { id });
  if (patient.isPending) return <p className="loading">{fr.loading}</p>;
  if (patient.isError) {
    return (
      <Screen title={t.title}>
        <p role="alert">{patient.error.message}</p>
      </Screen>
    );
  }
  return (
    <Screen title={t.editTitle(displayName(patient.data))}>
      {/* Keyed by the update time: after a save elsewhere, the form starts from the new record. */}
      <PatientForm key={patient.data.updatedAt} initial={patient.data} onSaved={open} onCancel={() => (window.location.hash = patientHref(id))} />
    </Screen>
  );
}

/** `#/patients`, `#/patients/new`, `#/patients/<id>`, `#/patients/<id>/edit`. */
export function PatientsScreen() {
  const [first, second] = useSubPath('patients');
  if (first === undefined) return <PatientList />;
  if (first === 'new') return <NewPatient />;
  const id = /^\d{1,15}$/.test(first) ? Number(first) : 0;
  if (id <= 0) return <PatientList />;
  return second === 'edit' ? <EditPatient id={id} /> : <PatientPage id={id} />;
}
