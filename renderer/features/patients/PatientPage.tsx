import type { ReactNode } from 'react';
import { formatDate, isoDay } from '../../../shared/domain/dates';
import { formatNir } from '../../../shared/domain/nir';
import { bornWord, displayName } from '../../../shared/domain/patient-names';
import type { PatientRecord } from '../../../shared/domain/patient-record';
import { useCall } from '../../app/queries';
import { hrefOf, newPrescriptionHref, patientHref } from '../../app/router';
import { Screen } from '../../components/Screen';
import { fr } from '../../i18n/fr';
import { PatientPrescriptions } from '../prescriptions/PatientPrescriptions';
import { useAllergenLabel } from './ClinicalLists';
import './clinical-lists.css';

const t = fr.patients;
const page = t.page;

const dash = (value: string) => (value === '' ? page.none : value);
const measured = (m: { value: number; measuredOn: string } | null, unit: string) =>
  m === null ? page.notMeasured : `${t.decimal(m.value)} ${unit} (${page.measuredOn(formatDate(m.measuredOn))})`;
const objection = (o: { recordedOn: string } | null) => (o === null ? page.noObjection : page.objectionOn(formatDate(o.recordedOn)));

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([term, value]) => (
        <div key={term} className="facts__row">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** « codée : Pénicillines (classe) », the rule set's label when it knows the name. */
function AllergyCode({ code }: { code: { kind: 'substance' | 'class'; name: string } }) {
  const label = useAllergenLabel(code.kind, code.name);
  return <span className="clinical-list__code"> — {t.allergy.coded(label, code.kind)}</span>;
}

function SubstanceLabel({ name }: { name: string }) {
  return <>{useAllergenLabel('substance', name)}</>;
}

function Record({ p }: { p: PatientRecord }) {
  const today = isoDay(new Date());
  const identity = p.identityStatus === 'verified' && p.identityDocument !== null ? page.verified(t.identityDocuments[p.identityDocument]) : page.provisional;
  return (
    <>
      <div className="form__actions">
        <a className="button" href={newPrescriptionHref(p.id)}>
          {fr.prescriptions.list.newPrescription}
        </a>
        <a className="button secondary" href={patientHref(p.id, true)}>
          {t.edit}
        </a>
        <a href={hrefOf('patients')}>{t.backToList}</a>
      </div>
      {p.warnings.length > 0 ? (
        <div className="warning" role="note" aria-label={t.warningsTitle}>
          <p>{t.warningsTitle}</p>
          <ul>
            {p.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <section aria-labelledby="patient-identity">
        <h2 id="patient-identity">{t.sections.identity}</h2>
        <Facts
          rows={[
            [page.birthName, p.birthName],
            [page.usedName, dash(p.usedName)],
            [page.firstNames, p.firstNames],
            [t.fields.sex, t.sexShort[p.sex]],
            [page.born, page.bornOn(bornWord(p.sex), formatDate(p.birthDate), t.age(p.birthDate, today))],
            [page.birthPlace, dash(p.birthPlaceCode)],
            [page.nir, p.nir === null ? page.none : formatNir(p.nir)],
            [page.identity, identity],
          ]}
        />
      </section>
      <section aria-labelledby="patient-contact">
        <h2 id="patient-contact">{t.sections.contact}</h2>
        <Facts
          rows={[
            [t.fields.address, dash([p.address, `${p.postalCode} ${p.city}`.trim()].filter((s) => s !== '').join(', '))],
            [t.fields.phone, dash(p.phone)],
            [t.fields.email, dash(p.email)],
          ]}
        />
      </section>
      <section aria-labelledby="patient-allergies">
        <h2 id="patient-allergies">{t.sections.allergies}</h2>
        {p.allergies.length === 0 ? (
          <p className="muted">{t.allergy.none}</p>
        ) : (
          <ul className="clinical-list">
            {p.allergies.map((a, i) => (
              <li key={i}>
                <strong>{a.substance}</strong> — {t.allergy.kinds[a.kind]}
                {a.reaction !== '' ? ` : ${a.reaction}` : ''}
                {a.code !== null ? <AllergyCode code={a.code} /> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="patient-conditions">
        <h2 id="patient-conditions">{t.sections.conditions}</h2>
        {p.conditions.length === 0 ? (
          <p className="muted">{t.condition.none}</p>
        ) : (
          <ul className="clinical-list">
            {p.conditions.map((c, i) => (
              <li key={i}>
                {c.label}
                {c.ald ? <span className="badge">{t.condition.aldBadge}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="patient-treatments">
        <h2 id="patient-treatments">{t.sections.treatments}</h2>
        {p.treatments.length === 0 ? (
          <p className="muted">{t.treatment.none}</p>
        ) : (
          <ul className="clinical-list">
            {p.treatments.map((tr, i) => (
              <li key={i}>
                {tr.label}
                {tr.substanceNames.length > 0 ? (
                  <span className="clinical-list__code">
                    {' — '}
                    {page.substancesLead}
                    {tr.substanceNames.map((name, j) => (
                      <span key={name}>
                        {j > 0 ? ', ' : ''}
                        <SubstanceLabel name={name} />
                      </span>
                    ))}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="patient-measurements">
        <h2 id="patient-measurements">{t.sections.measurements}</h2>
        <Facts
          rows={[
            [page.weight, measured(p.weight, 'kg')],
            [page.height, measured(p.height, 'cm')],
            [page.clearance, measured(p.creatinineClearance, 'mL/min')],
          ]}
        />
      </section>
      <section aria-labelledby="patient-pregnancy">
        <h2 id="patient-pregnancy">{t.sections.pregnancy}</h2>
        <Facts
          rows={[
            [page.pregnancy, p.pregnancy === null ? page.no : page.pregnantSince(formatDate(p.pregnancy.startedOn))],
            [page.breastfeeding, p.breastfeeding === null ? page.no : page.breastfeedingSince(formatDate(p.breastfeeding.since))],
          ]}
        />
      </section>
      <section aria-labelledby="patient-objections">
        <h2 id="patient-objections">{t.sections.objections}</h2>
        <Facts
          rows={[
            [page.dmp, objection(p.dmpObjection)],
            [page.dispensing, objection(p.dispensingObjection)],
          ]}
        />
      </section>
      <section aria-labelledby="patient-prescriptions">
        <h2 id="patient-prescriptions">{t.sections.prescriptions}</h2>
        <PatientPrescriptions patientId={p.id} />
      </section>
    </>
  );
}

/** One patient's file: identity first, then what a prescription depends on. */
export function PatientPage({ id }: { id: number }) {
  const patient = useCall('patients.get', { id });
  if (patient.isPending) return <p className="loading">{fr.loading}</p>;
  if (patient.isError) {
    return (
      <Screen title={t.title}>
        <p role="alert">{patient.error.code === 'NOT_FOUND' ? t.notFound : patient.error.message}</p>
        <a href={hrefOf('patients')}>{t.backToList}</a>
      </Screen>
    );
  }
  return (
    <Screen title={displayName(patient.data)}>
      <Record p={patient.data} />
    </Screen>
  );
}
