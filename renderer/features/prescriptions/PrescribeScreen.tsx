import { useEffect, useRef, useState } from 'react';
import { formatDate } from '../../../shared/domain/dates';
import { displayName } from '../../../shared/domain/patient-names';
import { OrdoError } from '../../../shared/errors';
import { call } from '../../app/api';
import { queryClient, useCall } from '../../app/queries';
import { hrefOf, prescriptionHref, useSubPath } from '../../app/router';
import { Screen } from '../../components/Screen';
import { fr } from '../../i18n/fr';
import { PatientList } from '../patients/PatientList';
import { DrugDetail } from '../drugs/DrugDetail';
import { DrugSearch, type ChosenDrug } from '../drugs/DrugSearch';
import { ReferentialStatus } from '../drugs/ReferentialStatus';
import { PrescriptionScreen } from './PrescriptionScreen';
import { lastDraftId, rememberDraft } from './session';
import '../drugs/drugs.css';
import '../patients/patients.css';

const t = fr.drugs;
const tp = fr.prescriptions;

/** Drafts being created, by patient: a second mount (StrictMode, a double Enter) waits for the same one. */
const creating = new Map<number, Promise<number>>();

/** `#/prescribe/new/<patientId>`: creates the draft, then replaces this address with the draft's. */
function NewDraft({ patientId }: { patientId: number }) {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let pending = creating.get(patientId);
    if (pending === undefined) {
      pending = call('prescriptions.create', { patientId }).then((d) => {
        queryClient.setQueryData(['prescriptions.get', { id: d.id }], d);
        void queryClient.invalidateQueries({ queryKey: ['prescriptions.list'] });
        return d.id;
      });
      creating.set(patientId, pending);
      void pending.finally(() => creating.delete(patientId)).catch(() => undefined);
    }
    pending.then(
      (id) => window.location.replace(prescriptionHref(id)),
      (e: unknown) => setError(tp.choose.failed(e instanceof OrdoError ? e.message : String(e))),
    );
  }, [patientId]);
  return (
    <Screen title={tp.choose.title}>
      {error === null ? <p role="status">{tp.choose.creating}</p> : <p role="alert">{error}</p>}
      <a href={hrefOf('prescribe')}>{tp.otherPatient}</a>
    </Screen>
  );
}

/** The draft the GP left open, offered first on Prescrire. */
function ResumeDraft({ id }: { id: number }) {
  const draft = useCall('prescriptions.get', { id });
  const patientId = draft.data?.state === 'draft' ? draft.data.patientId : undefined;
  if (draft.isError) rememberDraft(null);
  if (patientId === undefined || draft.data === undefined) return null;
  return <ResumeLink id={id} patientId={patientId} date={formatDate(draft.data.createdAt.slice(0, 10))} />;
}

function ResumeLink({ id, patientId, date }: { id: number; patientId: number; date: string }) {
  const patient = useCall('patients.get', { id: patientId });
  if (patient.data === undefined) return null;
  return (
    <p className="rx-resume">
      <a className="button" href={prescriptionHref(id)}>
        {tp.choose.resume(displayName(patient.data), date)}
      </a>
    </p>
  );
}

/** Consulting a drug without a prescription: its card, conditions and interactions. */
function Consult() {
  const [chosen, setChosen] = useState<ChosenDrug | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const close = () => {
    setChosen(null);
    // The card's button disappears with it: focus goes back where the GP searches.
    searchBox.current?.focus();
  };
  return (
    <section aria-labelledby="consult-title">
      <h2 id="consult-title">{t.consultTitle}</h2>
      <p className="muted">{t.consultHint}</p>
      <ReferentialStatus />
      <DrugSearch onChoose={setChosen} inputRef={searchBox} />
      {chosen !== null ? <DrugDetail key={chosen.cis} cis={chosen.cis} onClose={close} /> : null}
    </section>
  );
}

/**
 * « Prescrire »: `#/prescribe` asks for whom (the patient search; the draft left open first),
 * `#/prescribe/new/<patientId>` starts a draft, `#/prescribe/<id>` is the prescription itself.
 */
export function PrescribeScreen() {
  const [first, second] = useSubPath('prescribe');
  const number = (s: string | undefined) => (s !== undefined && /^\d{1,15}$/.test(s) ? Number(s) : 0);
  if (first === 'new' && number(second) > 0) return <NewDraft patientId={number(second)} />;
  if (number(first) > 0) return <PrescriptionScreen key={first} id={number(first)} />;
  const last = lastDraftId();
  return <PatientList mode="prescribe" top={last !== null ? <ResumeDraft id={last} /> : null} bottom={<Consult />} />;
}
