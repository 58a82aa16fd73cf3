import { useCall } from '../../app/queries';
import { fr } from '../../i18n/fr';
import { DrugFlags } from './DrugFlags';
import { DrugInteractions } from './DrugInteractions';
import { euros } from './format';

const t = fr.drugs.detail;

/** The chosen drug's card: what the BDPM says about it, for the GP to check before prescribing. */
export function DrugDetail({ cis, onClose }: { cis: string; onClose: () => void }) {
  const detail = useCall('drugs.get', { cis });
  if (detail.isPending) return <p className="loading">{fr.loading}</p>;
  if (detail.isError) return <p role="alert">{detail.error.message}</p>;
  const d = detail.data;
  // What a partial base lacks reads as « non disponible », never as « aucune ».
  const lacks = (part: (typeof d.missingParts)[number]) => d.missingParts.includes(part);
  return (
    <article className="drug-detail" aria-labelledby="drug-detail-title">
      <header className="drug-detail__header">
        <h2 id="drug-detail-title">{d.dciLabel}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          {t.close}
        </button>
      </header>
      <p className="drug-detail__name">
        {d.name} <DrugFlags item={d} />
      </p>
      {lacks('conditions') ? <p className="warning">{t.missingConditions}</p> : null}
      <dl className="facts">
        <dt>{t.form}</dt>
        <dd>{d.form}</dd>
        <dt>{t.routes}</dt>
        <dd>{d.routes.join(', ') || t.none}</dd>
        <dt>{t.holders}</dt>
        <dd>{d.holders.join(', ') || t.none}</dd>
        <dt>{t.status}</dt>
        <dd>
          {d.authorizationStatus} · {d.marketingStatus}
        </dd>
        <dt>{t.conditions}</dt>
        <dd>
          {lacks('conditions') ? <span className="drug-detail__missing">{t.missing('conditions')}</span> : d.conditions.length === 0 ? t.none : d.conditions.join(' ; ')}
          {d.prescriptionLimitDays !== null ? ` ${t.limit(d.prescriptionLimitDays)}` : ''}
        </dd>
        {d.genericGroups.length > 0 || lacks('genericGroups') ? (
          <>
            <dt>{t.generics}</dt>
            <dd>{lacks('genericGroups') ? <span className="drug-detail__missing">{t.missing('genericGroups')}</span> : d.genericGroups.map((g) => g.label).join(' ; ')}</dd>
          </>
        ) : null}
      </dl>
      <h3 id="drug-composition-title">{t.composition}</h3>
      {lacks('compositions') ? <p className="drug-detail__missing">{t.missing('compositions')}</p> : null}
      <ul className="drug-detail__list" aria-labelledby="drug-composition-title">
        {d.composition.map((c, i) => (
          <li key={`${c.substanceCode}-${i}`}>
            {c.substanceName} {c.strength} {c.strengthReference !== '' ? `pour ${c.strengthReference}` : ''} (
            <abbr title={t.nature[c.nature].long}>{t.nature[c.nature].short}</abbr>
            <span className="drug-detail__nature"> : {t.nature[c.nature].long}</span>)
          </li>
        ))}
      </ul>
      {d.composition.some((c) => c.nature === 'FT') ? (
        <p id="drug-composition-legend" className="drug-detail__legend">
          {t.natureLegend}
        </p>
      ) : null}
      <DrugInteractions cis={d.cis} />
      <h3>{t.packs}</h3>
      <ul className="drug-detail__list">
        {d.packs.map((p) => (
          <li key={p.cip13}>
            <span className="drug-detail__code">{p.cip13}</span> {p.label} —{' '}
            {p.reimbursementRate !== '' ? t.reimbursed(p.reimbursementRate) : t.notReimbursed}
            {p.priceCents !== null ? `, ${t.price(euros(p.priceCents))}` : ''}
            {p.marketed ? '' : ` (${t.packNotMarketed})`}
          </li>
        ))}
      </ul>
    </article>
  );
}
