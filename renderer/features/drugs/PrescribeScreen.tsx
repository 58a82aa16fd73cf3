import { useState } from 'react';
import { Screen } from '../../components/Screen';
import { fr } from '../../i18n/fr';
import { DrugDetail } from './DrugDetail';
import { DrugSearch, type ChosenDrug } from './DrugSearch';
import { ReferentialStatus } from './ReferentialStatus';
import './drugs.css';

const t = fr.drugs;

/** "Prescrire": the drug search on the referential in use; writing the prescription comes later. */
export function PrescribeScreen() {
  const [chosen, setChosen] = useState<ChosenDrug | null>(null);
  return (
    <Screen title={t.prescribeTitle}>
      <ReferentialStatus />
      <p className="placeholder">{t.prescribeComing}</p>
      <DrugSearch onChoose={setChosen} />
      {chosen !== null ? <DrugDetail key={chosen.cis} cis={chosen.cis} onClose={() => setChosen(null)} /> : null}
    </Screen>
  );
}
