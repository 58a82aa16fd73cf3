import { useRef, useState } from 'react';
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
  const searchBox = useRef<HTMLInputElement>(null);
  const close = () => {
    setChosen(null);
    // The card's button disappears with it: focus goes back where the GP searches.
    searchBox.current?.focus();
  };
  return (
    <Screen title={t.prescribeTitle}>
      <ReferentialStatus />
      <p className="placeholder">{t.prescribeComing}</p>
      <DrugSearch onChoose={setChosen} inputRef={searchBox} />
      {chosen !== null ? <DrugDetail key={chosen.cis} cis={chosen.cis} onClose={close} /> : null}
    </Screen>
  );
}
