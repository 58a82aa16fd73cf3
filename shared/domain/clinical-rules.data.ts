/**
 * Ordo's clinical rules (DOMAIN.md §7): for a curated list of substances common in general
 * practice, the pregnancy and breast-feeding contraindications and warnings, the creatinine
 * clearance thresholds, and the maximum doses per 24 h (adult in mg, child in mg/kg). Each value
 * names its public source: the RCP (summary of product characteristics) in the ANSM's public
 * drug database, an ANSM safety communication, or the CRAT (Centre de référence sur les agents
 * tératogènes). A substance carries only the values of its sources; what is not here is not
 * checked, and the rule set says so (« partiel »).
 *
 * Conventions:
 * - Names are DCIs as `FrozenDrug.substances[].dci` writes them (lower case, accents: « acide
 *   valproïque »); they are matched by moiety (duplicate-checks.ts `moietyKey`), so a salt matches
 *   its acid or base (« valproate de sodium » and « acide valproïque »).
 * - Weeks are weeks of amenorrhoea (SA), counted as completed weeks from the pregnancy's start.
 *   « 2e trimestre » is taken from 14 SA: the earliest of the conventions in use (14 or 15 SA),
 *   so that a contraindication from the 2nd trimester is never missed for a week.
 * - « insuffisance rénale sévère » in an RCP is a creatinine clearance below 30 ml/min (HAS, KDIGO
 *   stage 4); RCPs that give another figure are written with theirs.
 * - Doses are mg of the substance as the specialty's name states its strength (the salt for
 *   « metformine 1000 mg », the base for « amoxicilline 500 mg »), which is how the RCPs write
 *   their doses (daily-dose.ts).
 * - Renal and dose rules apply to systemic routes only (a gel is not an oral dose); pregnancy and
 *   breast-feeding rules to every route unless the rule says otherwise (the ANSM's NSAID
 *   contraindication covers the cutaneous route).
 */

export const clinicalRulesVersion = '2026.12';

/** Where a value comes from, as the message prints it after « source : ». */
export interface RuleSource {
  source: string;
  url?: string;
}

export interface PregnancyRule {
  level: 'CI' | 'warning';
  /** From this week of amenorrhoea (completed weeks), inclusive; absent: from the start. */
  fromWeek?: number;
  /** Before this week of amenorrhoea; absent: to the end. */
  untilWeek?: number;
  /** Only when the line gives more than this per 24 h (aspirin above 100 mg a day). */
  aboveMgPer24h?: number;
  /** What the rule says, in French, after the DCI (« contre-indication à partir de 24 SA… »). */
  text: string;
  source: RuleSource;
}

export interface BreastfeedingRule {
  level: 'CI' | 'warning';
  text: string;
  source: RuleSource;
}

/** Below `belowMlMin` of creatinine clearance: a contraindication, or a maximum per 24 h, or both. */
export interface RenalThreshold {
  belowMlMin: number;
  level: 'CI' | 'warning';
  /** The most per 24 h below the threshold: the rule fires only above it (or when the dose is unknown). */
  maxMgPer24h?: number;
  /** What to do, in French, when it is not just « contre-indication » or a maximum. */
  text?: string;
  source: RuleSource;
}

/**
 * A maximum for a population: age in years in [minYears, maxYears), weight in kg in [minKg,
 * maxKg) (a weight bound needs a recorded weight), in mg per 24 h and/or mg/kg per 24 h.
 */
export interface DoseLimit {
  minYears?: number;
  maxYears?: number;
  minKg?: number;
  maxKg?: number;
  maxMgPer24h?: number;
  maxMgPerKgPer24h?: number;
  /** Routes it is for (« orale »); absent: every systemic route. */
  routes?: readonly string[];
  /** The population, in French, as the message writes it: « chez l’enfant de moins de 40 kg ». */
  who: string;
  source: RuleSource;
}

export interface ClinicalRule {
  /** Stable ASCII id, part of each finding's id. */
  id: string;
  /** The substance as the coverage and the messages name it. */
  label: string;
  /** DCIs that are this substance (its salts and esters when the BDPM names them apart). */
  names: readonly string[];
  /** The rule is for the combination: every one of these must be on the same line. */
  together?: readonly string[];
  /** BDPM routes the rule is for (« orale »); absent: every route. */
  routes?: readonly string[];
  pregnancy?: readonly PregnancyRule[];
  breastfeeding?: BreastfeedingRule;
  renal?: readonly RenalThreshold[];
  dose?: readonly DoseLimit[];
  /** A weekly drug (low-dose methotrexate): a daily posology is a warning. */
  onceWeekly?: { text: string; source: RuleSource };
}

const BDPM = 'https://base-donnees-publique.medicaments.gouv.fr';
const ANSM = 'https://ansm.sante.fr';

const rcp = (what: string): RuleSource => ({ source: `RCP ${what}, base de données publique des médicaments (ANSM)`, url: BDPM });

const ADULT_YEARS = 15;
const adult = (maxMgPer24h: number, source: RuleSource, minYears = ADULT_YEARS): DoseLimit => ({
  minYears,
  maxMgPer24h,
  who: minYears === ADULT_YEARS ? 'chez l’adulte' : `à partir de ${minYears} ans`,
  source,
});

// NSAIDs (aspirin above 100 mg a day included): the ANSM's reminder of 2017 and the CRAT.
const NSAID_SOURCE: RuleSource = {
  source: 'ANSM, AINS et grossesse : contre-indication à partir du début du 6e mois (2017) ; CRAT',
  url: ANSM,
};
const nsaidPregnancy = (what: string): PregnancyRule[] => [
  {
    level: 'CI',
    fromWeek: 24,
    text: 'contre-indication à partir de 24 SA (début du 6e mois de grossesse), quelle que soit la voie, cutanée comprise : toxicité fœtale rénale et cardio-pulmonaire',
    source: NSAID_SOURCE,
  },
  {
    level: 'warning',
    untilWeek: 24,
    text: 'à ne prescrire qu’en cas de nécessité avant 24 SA (1er et 2e trimestres) ; contre-indication à partir de 24 SA',
    source: rcp(`${what}, rubrique 4.6`),
  },
];
const severeRenalCI = (what: string): RenalThreshold => ({
  belowMlMin: 30,
  level: 'CI',
  text: 'contre-indication en cas d’insuffisance rénale sévère',
  source: rcp(`${what}, rubrique 4.3`),
});

// ACE inhibitors and angiotensin II receptor blockers: the class wording of their RCPs.
const raasPregnancy = (what: string): PregnancyRule[] => [
  {
    level: 'CI',
    fromWeek: 14,
    text: 'contre-indication aux 2e et 3e trimestres de grossesse (à partir de 14 SA) : toxicité rénale fœtale',
    source: { source: `RCP ${what}, rubriques 4.3 et 4.6, base de données publique des médicaments (ANSM) ; CRAT`, url: BDPM },
  },
  {
    level: 'warning',
    untilWeek: 14,
    text: 'déconseillé au 1er trimestre de grossesse ; contre-indication aux 2e et 3e trimestres',
    source: rcp(`${what}, rubrique 4.6`),
  },
];

// Statins: contraindicated in pregnancy and breast-feeding (RCP of each, rubrique 4.3).
const statinPregnancy = (what: string): PregnancyRule[] => [
  { level: 'CI', text: 'contre-indication pendant toute la grossesse', source: rcp(`${what}, rubriques 4.3 et 4.6`) },
];
const statinBreastfeeding = (what: string): BreastfeedingRule => ({
  level: 'CI',
  text: 'contre-indication pendant l’allaitement',
  source: rcp(`${what}, rubriques 4.3 et 4.6`),
});

const teratogen = (text: string, source: RuleSource): PregnancyRule[] => [{ level: 'CI', text, source }];

const nsaidOnlyPregnancy = (id: string, label: string, names: readonly string[] = [label]): ClinicalRule => ({
  id,
  label,
  names,
  pregnancy: nsaidPregnancy(`des AINS (${label})`),
});

export const clinicalRules: readonly ClinicalRule[] = [
  // Analgesics and NSAIDs.
  {
    id: 'paracetamol',
    label: 'paracétamol',
    names: ['paracétamol'],
    dose: [
      { maxYears: ADULT_YEARS, maxKg: 40, maxMgPerKgPer24h: 80, who: 'chez l’enfant de moins de 40 kg', source: rcp('du paracétamol, rubrique 4.4') },
      { maxYears: ADULT_YEARS, minKg: 40, maxKg: 50, maxMgPer24h: 3000, who: 'chez l’enfant de 40 à 50 kg', source: rcp('du paracétamol, rubrique 4.4') },
      { maxYears: ADULT_YEARS, minKg: 50, maxMgPer24h: 4000, who: 'chez l’enfant de plus de 50 kg', source: rcp('du paracétamol, rubrique 4.4') },
      adult(4000, rcp('du paracétamol (Doliprane 1000 mg), rubriques 4.2 et 4.4')),
    ],
  },
  {
    id: 'ibuprofene',
    label: 'ibuprofène',
    names: ['ibuprofène'],
    pregnancy: nsaidPregnancy('de l’ibuprofène'),
    renal: [severeRenalCI('de l’ibuprofène')],
    dose: [
      { maxYears: 12, maxMgPerKgPer24h: 30, who: 'chez l’enfant de moins de 12 ans', source: rcp('de l’ibuprofène suspension buvable pédiatrique, rubrique 4.2') },
      adult(2400, rcp('de l’ibuprofène 400 mg, rubrique 4.2')),
    ],
  },
  { id: 'ketoprofene', label: 'kétoprofène', names: ['kétoprofène'], pregnancy: nsaidPregnancy('du kétoprofène'), renal: [severeRenalCI('du kétoprofène')] },
  { id: 'naproxene', label: 'naproxène', names: ['naproxène'], pregnancy: nsaidPregnancy('du naproxène'), renal: [severeRenalCI('du naproxène')] },
  {
    id: 'diclofenac',
    label: 'diclofénac',
    names: ['diclofénac', 'diclofénac de diéthylamine', 'épolamine de diclofénac'],
    pregnancy: nsaidPregnancy('du diclofénac'),
    renal: [severeRenalCI('du diclofénac')],
    dose: [adult(150, rcp('du diclofénac (Voltarène), rubrique 4.2'))],
  },
  {
    id: 'celecoxib',
    label: 'célécoxib',
    names: ['célécoxib'],
    pregnancy: nsaidPregnancy('du célécoxib'),
    renal: [severeRenalCI('du célécoxib (Celebrex)')],
    dose: [adult(400, rcp('du célécoxib (Celebrex), rubrique 4.2'))],
  },
  {
    id: 'aspirine',
    label: 'acide acétylsalicylique',
    names: ['acide acétylsalicylique', 'acétylsalicylate de dl-lysine'],
    pregnancy: [
      {
        level: 'CI',
        fromWeek: 24,
        aboveMgPer24h: 100,
        text: 'au-delà de 100 mg par jour, contre-indication à partir de 24 SA (début du 6e mois de grossesse)',
        source: NSAID_SOURCE,
      },
      {
        level: 'warning',
        untilWeek: 24,
        aboveMgPer24h: 100,
        text: 'au-delà de 100 mg par jour, à ne prescrire qu’en cas de nécessité avant 24 SA ; contre-indication à partir de 24 SA',
        source: rcp('de l’acide acétylsalicylique, rubrique 4.6'),
      },
    ],
  },
  nsaidOnlyPregnancy('dexketoprofene', 'dexkétoprofène'),
  nsaidOnlyPregnancy('meloxicam', 'méloxicam'),
  nsaidOnlyPregnancy('piroxicam', 'piroxicam'),
  nsaidOnlyPregnancy('tenoxicam', 'ténoxicam'),
  nsaidOnlyPregnancy('flurbiprofene', 'flurbiprofène'),
  nsaidOnlyPregnancy('acide-niflumique', 'acide niflumique', ['acide niflumique', 'morniflumate']),
  nsaidOnlyPregnancy('acide-mefenamique', 'acide méfénamique'),
  nsaidOnlyPregnancy('acide-tiaprofenique', 'acide tiaprofénique'),
  nsaidOnlyPregnancy('etodolac', 'étodolac'),
  nsaidOnlyPregnancy('aceclofenac', 'acéclofénac'),
  nsaidOnlyPregnancy('nabumetone', 'nabumétone'),
  nsaidOnlyPregnancy('indometacine', 'indométacine'),
  nsaidOnlyPregnancy('sulindac', 'sulindac'),
  nsaidOnlyPregnancy('etoricoxib', 'étoricoxib'),
  nsaidOnlyPregnancy('alminoprofene', 'alminoprofène'),
  nsaidOnlyPregnancy('fenoprofene', 'fénoprofène'),
  {
    id: 'tramadol',
    label: 'tramadol',
    names: ['tramadol'],
    renal: [
      {
        belowMlMin: 30,
        level: 'warning',
        maxMgPer24h: 200,
        text: 'intervalle de 12 heures entre les prises',
        source: rcp('du tramadol, rubrique 4.2'),
      },
    ],
    dose: [adult(400, rcp('du tramadol, rubrique 4.2'))],
  },
  {
    id: 'codeine',
    label: 'codéine',
    names: ['codéine', 'camphosulfonate de codéine'],
    breastfeeding: {
      level: 'CI',
      text: 'contre-indication pendant l’allaitement (risque de surdosage en morphine chez le nourrisson)',
      source: { source: 'ANSM, codéine : réévaluation européenne (2013) ; RCP de la codéine, rubrique 4.3', url: ANSM },
    },
  },
  {
    id: 'colchicine',
    label: 'colchicine',
    names: ['colchicine'],
    renal: [severeRenalCI('de la colchicine')],
    dose: [adult(3, rcp('de la colchicine, rubrique 4.2'))],
  },
  {
    id: 'thiocolchicoside',
    label: 'thiocolchicoside',
    names: ['thiocolchicoside'],
    routes: ['orale', 'intramusculaire'],
    pregnancy: teratogen('contre-indication pendant toute la grossesse (génotoxicité)', {
      source: 'ANSM, thiocolchicoside par voie générale : restriction d’utilisation (2014) ; RCP, rubrique 4.3',
      url: ANSM,
    }),
    breastfeeding: {
      level: 'CI',
      text: 'contre-indication pendant l’allaitement',
      source: { source: 'ANSM, thiocolchicoside par voie générale : restriction d’utilisation (2014) ; RCP, rubrique 4.3', url: ANSM },
    },
    dose: [{ ...adult(16, { source: 'ANSM, thiocolchicoside par voie générale : 8 mg toutes les 12 heures au plus par voie orale (2014)', url: ANSM }), routes: ['orale'] }],
  },

  // Antibiotics.
  {
    id: 'amoxicilline',
    label: 'amoxicilline',
    names: ['amoxicilline'],
    renal: [
      { belowMlMin: 30, level: 'warning', maxMgPer24h: 1000, text: '500 mg deux fois par jour au plus', source: rcp('de l’amoxicilline, rubrique 4.2') },
      { belowMlMin: 10, level: 'warning', maxMgPer24h: 500, text: '500 mg par jour au plus', source: rcp('de l’amoxicilline, rubrique 4.2') },
    ],
    dose: [
      { maxYears: 18, maxKg: 40, maxMgPerKgPer24h: 100, who: 'chez l’enfant de moins de 40 kg', source: rcp('de l’amoxicilline, rubrique 4.2') },
      { maxYears: ADULT_YEARS, minKg: 40, maxMgPer24h: 6000, who: 'chez l’enfant de 40 kg ou plus', source: rcp('de l’amoxicilline, rubrique 4.2') },
      adult(6000, rcp('de l’amoxicilline, rubrique 4.2')),
    ],
  },
  {
    id: 'amoxicilline-clavulanique',
    label: 'amoxicilline + acide clavulanique',
    names: ['amoxicilline'],
    together: ['acide clavulanique'],
    dose: [
      {
        maxYears: 18,
        maxKg: 40,
        maxMgPerKgPer24h: 80,
        who: 'chez l’enfant de moins de 40 kg (dose d’amoxicilline)',
        source: rcp('de l’amoxicilline/acide clavulanique 100 mg/12,5 mg par ml, rubrique 4.2'),
      },
      { maxYears: ADULT_YEARS, minKg: 40, maxMgPer24h: 3000, who: 'chez l’enfant de 40 kg ou plus (dose d’amoxicilline)', source: rcp('de l’amoxicilline/acide clavulanique 1 g/125 mg, rubrique 4.2') },
      { ...adult(3000, rcp('de l’amoxicilline/acide clavulanique 1 g/125 mg, rubrique 4.2')), who: 'chez l’adulte (dose d’amoxicilline)' },
    ],
  },
  {
    id: 'azithromycine',
    label: 'azithromycine',
    names: ['azithromycine'],
    routes: ['orale'],
    dose: [
      {
        maxYears: ADULT_YEARS,
        maxMgPerKgPer24h: 20,
        maxMgPer24h: 500,
        who: 'chez l’enfant',
        source: rcp('de l’azithromycine suspension buvable (Zithromax), rubrique 4.2'),
      },
    ],
  },
  {
    id: 'clarithromycine',
    label: 'clarithromycine',
    names: ['clarithromycine'],
    renal: [
      { belowMlMin: 30, level: 'warning', maxMgPer24h: 500, text: 'posologie réduite de moitié', source: rcp('de la clarithromycine (Zeclar), rubrique 4.2') },
    ],
    dose: [adult(1000, rcp('de la clarithromycine (Zeclar), rubrique 4.2'))],
  },
  {
    id: 'doxycycline',
    label: 'doxycycline',
    names: ['doxycycline', 'hyclate de doxycycline'],
    pregnancy: [
      {
        level: 'CI',
        fromWeek: 14,
        text: 'contre-indication à partir du 2e trimestre de grossesse (à partir de 14 SA) : coloration des dents de l’enfant',
        source: rcp('de la doxycycline, rubrique 4.6'),
      },
      { level: 'warning', untilWeek: 14, text: 'déconseillée au 1er trimestre de grossesse', source: rcp('de la doxycycline, rubrique 4.6') },
    ],
  },
  {
    id: 'ciprofloxacine',
    label: 'ciprofloxacine',
    names: ['ciprofloxacine'],
    renal: [
      { belowMlMin: 60, level: 'warning', maxMgPer24h: 1000, text: '250 à 500 mg toutes les 12 heures', source: rcp('de la ciprofloxacine, rubrique 4.2') },
      { belowMlMin: 30, level: 'warning', maxMgPer24h: 500, text: '250 à 500 mg toutes les 24 heures', source: rcp('de la ciprofloxacine, rubrique 4.2') },
    ],
    dose: [
      { maxYears: 18, maxMgPerKgPer24h: 40, maxMgPer24h: 1500, who: 'chez l’enfant (20 mg/kg deux fois par jour, 750 mg par prise au plus)', source: rcp('de la ciprofloxacine, rubrique 4.2') },
      adult(1500, rcp('de la ciprofloxacine, rubrique 4.2'), 18),
    ],
  },
  {
    id: 'levofloxacine',
    label: 'lévofloxacine',
    names: ['lévofloxacine'],
    renal: [
      { belowMlMin: 50, level: 'warning', maxMgPer24h: 500, text: 'après une première dose de 500 mg', source: rcp('de la lévofloxacine (Tavanic), rubrique 4.2') },
      { belowMlMin: 20, level: 'warning', maxMgPer24h: 250, text: 'après une première dose de 500 mg', source: rcp('de la lévofloxacine (Tavanic), rubrique 4.2') },
      { belowMlMin: 10, level: 'warning', maxMgPer24h: 125, text: 'après une première dose de 500 mg', source: rcp('de la lévofloxacine (Tavanic), rubrique 4.2') },
    ],
    dose: [adult(1000, rcp('de la lévofloxacine (Tavanic), rubrique 4.2'), 18)],
  },
  {
    id: 'nitrofurantoine',
    label: 'nitrofurantoïne',
    names: ['nitrofurantoïne'],
    renal: [{ belowMlMin: 45, level: 'CI', text: 'contre-indication en cas d’insuffisance rénale', source: rcp('de la nitrofurantoïne (Furadantine), rubrique 4.3') }],
  },
  {
    id: 'fosfomycine',
    label: 'fosfomycine trométamol',
    names: ['fosfomycine trométamol', 'fosfomycine'],
    routes: ['orale'],
    renal: [{ belowMlMin: 10, level: 'CI', text: 'contre-indication en cas d’insuffisance rénale sévère', source: rcp('de la fosfomycine trométamol (Monuril), rubrique 4.3') }],
    dose: [adult(3000, rcp('de la fosfomycine trométamol (Monuril), rubrique 4.2 : 3 g en prise unique'))],
  },
  {
    id: 'cotrimoxazole',
    label: 'sulfaméthoxazole + triméthoprime',
    names: ['sulfaméthoxazole'],
    together: ['triméthoprime'],
    renal: [{ belowMlMin: 30, level: 'warning', text: 'posologie à réduire de moitié', source: rcp('du sulfaméthoxazole/triméthoprime (Bactrim), rubrique 4.2') }],
  },

  // Diabetes.
  {
    id: 'metformine',
    label: 'metformine',
    names: ['metformine'],
    renal: [
      { belowMlMin: 30, level: 'CI', text: 'contre-indication', source: rcp('de la metformine (Glucophage), rubriques 4.2 et 4.3') },
      { belowMlMin: 45, level: 'warning', maxMgPer24h: 1000, source: rcp('de la metformine (Glucophage), rubrique 4.2') },
      { belowMlMin: 60, level: 'warning', maxMgPer24h: 2000, source: rcp('de la metformine (Glucophage), rubrique 4.2') },
    ],
    dose: [
      { minYears: 10, maxYears: 18, maxMgPer24h: 2000, who: 'chez l’enfant de 10 ans et plus et l’adolescent', source: rcp('de la metformine (Glucophage), rubrique 4.2') },
      adult(3000, rcp('de la metformine (Glucophage), rubrique 4.2'), 18),
    ],
  },
  { id: 'gliclazide', label: 'gliclazide', names: ['gliclazide'], renal: [severeRenalCI('du gliclazide (Diamicron)')] },

  // Cardiovascular.
  {
    id: 'ramipril',
    label: 'ramipril',
    names: ['ramipril'],
    pregnancy: raasPregnancy('du ramipril'),
    renal: [{ belowMlMin: 60, level: 'warning', maxMgPer24h: 5, source: rcp('du ramipril (Triatec), rubrique 4.2') }],
    dose: [adult(10, rcp('du ramipril (Triatec), rubrique 4.2'), 18)],
  },
  {
    id: 'perindopril',
    label: 'périndopril',
    names: ['périndopril'],
    pregnancy: raasPregnancy('du périndopril'),
    renal: [{ belowMlMin: 60, level: 'warning', text: 'posologie à adapter à la clairance', source: rcp('du périndopril (Coversyl), rubrique 4.2') }],
  },
  { id: 'enalapril', label: 'énalapril', names: ['énalapril'], pregnancy: raasPregnancy('de l’énalapril'), dose: [adult(40, rcp('de l’énalapril (Renitec), rubrique 4.2'), 18)] },
  { id: 'lisinopril', label: 'lisinopril', names: ['lisinopril'], pregnancy: raasPregnancy('du lisinopril'), dose: [adult(80, rcp('du lisinopril (Zestril), rubrique 4.2'), 18)] },
  { id: 'captopril', label: 'captopril', names: ['captopril'], pregnancy: raasPregnancy('du captopril') },
  { id: 'losartan', label: 'losartan', names: ['losartan'], pregnancy: raasPregnancy('du losartan'), dose: [adult(100, rcp('du losartan (Cozaar), rubrique 4.2'), 18)] },
  { id: 'valsartan', label: 'valsartan', names: ['valsartan'], pregnancy: raasPregnancy('du valsartan'), dose: [adult(320, rcp('du valsartan (Tareg), rubrique 4.2'), 18)] },
  {
    id: 'candesartan',
    label: 'candésartan',
    names: ['candésartan cilexétil'],
    pregnancy: raasPregnancy('du candésartan'),
    dose: [adult(32, rcp('du candésartan (Atacand), rubrique 4.2'), 18)],
  },
  { id: 'irbesartan', label: 'irbésartan', names: ['irbésartan'], pregnancy: raasPregnancy('de l’irbésartan'), dose: [adult(300, rcp('de l’irbésartan (Aprovel), rubrique 4.2'), 18)] },
  {
    id: 'olmesartan',
    label: 'olmésartan',
    names: ['olmésartan médoxomil'],
    pregnancy: raasPregnancy('de l’olmésartan'),
    dose: [adult(40, rcp('de l’olmésartan (Alteis, Olmetec), rubrique 4.2'), 18)],
  },
  { id: 'telmisartan', label: 'telmisartan', names: ['telmisartan'], pregnancy: raasPregnancy('du telmisartan'), dose: [adult(80, rcp('du telmisartan (Micardis), rubrique 4.2'), 18)] },
  { id: 'amlodipine', label: 'amlodipine', names: ['amlodipine'], dose: [adult(10, rcp('de l’amlodipine (Amlor), rubrique 4.2'), 18)] },
  { id: 'hydrochlorothiazide', label: 'hydrochlorothiazide', names: ['hydrochlorothiazide'], renal: [severeRenalCI('de l’hydrochlorothiazide (Esidrex)')] },
  { id: 'spironolactone', label: 'spironolactone', names: ['spironolactone'], renal: [severeRenalCI('de la spironolactone (Aldactone)')] },
  {
    id: 'atorvastatine',
    label: 'atorvastatine',
    names: ['atorvastatine'],
    pregnancy: statinPregnancy('de l’atorvastatine'),
    breastfeeding: statinBreastfeeding('de l’atorvastatine'),
    dose: [adult(80, rcp('de l’atorvastatine (Tahor), rubrique 4.2'), 18)],
  },
  {
    id: 'simvastatine',
    label: 'simvastatine',
    names: ['simvastatine'],
    pregnancy: statinPregnancy('de la simvastatine'),
    breastfeeding: statinBreastfeeding('de la simvastatine'),
    renal: [
      {
        belowMlMin: 30,
        level: 'warning',
        maxMgPer24h: 10,
        text: 'au-delà de 10 mg par jour, avec prudence',
        source: rcp('de la simvastatine (Zocor), rubrique 4.2'),
      },
    ],
    dose: [adult(80, rcp('de la simvastatine (Zocor), rubrique 4.2'), 18)],
  },
  {
    id: 'rosuvastatine',
    label: 'rosuvastatine',
    names: ['rosuvastatine'],
    pregnancy: statinPregnancy('de la rosuvastatine'),
    breastfeeding: statinBreastfeeding('de la rosuvastatine'),
    renal: [
      { belowMlMin: 30, level: 'CI', text: 'contre-indication', source: rcp('de la rosuvastatine (Crestor), rubrique 4.3') },
      { belowMlMin: 60, level: 'CI', maxMgPer24h: 20, text: 'la dose de 40 mg est contre-indiquée', source: rcp('de la rosuvastatine (Crestor), rubrique 4.3') },
    ],
    dose: [adult(40, rcp('de la rosuvastatine (Crestor), rubrique 4.2'), 18)],
  },
  {
    id: 'pravastatine',
    label: 'pravastatine',
    names: ['pravastatine'],
    pregnancy: statinPregnancy('de la pravastatine'),
    breastfeeding: statinBreastfeeding('de la pravastatine'),
    dose: [adult(40, rcp('de la pravastatine (Elisor), rubrique 4.2'), 18)],
  },

  // Anticoagulants.
  {
    id: 'apixaban',
    label: 'apixaban',
    names: ['apixaban'],
    pregnancy: [{ level: 'warning', text: 'à éviter pendant la grossesse', source: rcp('de l’apixaban (Eliquis), rubrique 4.6') }],
    breastfeeding: { level: 'warning', text: 'interrompre soit l’allaitement, soit le traitement', source: rcp('de l’apixaban (Eliquis), rubrique 4.6') },
    renal: [{ belowMlMin: 15, level: 'warning', text: 'utilisation non recommandée', source: rcp('de l’apixaban (Eliquis), rubrique 4.2') }],
    dose: [adult(20, rcp('de l’apixaban (Eliquis), rubrique 4.2'), 18)],
  },
  {
    id: 'rivaroxaban',
    label: 'rivaroxaban',
    names: ['rivaroxaban'],
    pregnancy: [{ level: 'CI', text: 'contre-indication pendant la grossesse', source: rcp('du rivaroxaban (Xarelto), rubrique 4.3') }],
    breastfeeding: { level: 'CI', text: 'contre-indication pendant l’allaitement', source: rcp('du rivaroxaban (Xarelto), rubrique 4.3') },
    renal: [{ belowMlMin: 15, level: 'warning', text: 'utilisation non recommandée', source: rcp('du rivaroxaban (Xarelto), rubrique 4.2') }],
    dose: [adult(30, rcp('du rivaroxaban (Xarelto), rubrique 4.2'), 18)],
  },
  {
    id: 'dabigatran',
    label: 'dabigatran',
    names: ['dabigatran étexilate'],
    pregnancy: [{ level: 'warning', text: 'à n’utiliser pendant la grossesse qu’en cas de nécessité absolue', source: rcp('du dabigatran (Pradaxa), rubrique 4.6') }],
    breastfeeding: { level: 'warning', text: 'l’allaitement doit être interrompu pendant le traitement', source: rcp('du dabigatran (Pradaxa), rubrique 4.6') },
    renal: [{ belowMlMin: 30, level: 'CI', text: 'contre-indication en cas d’insuffisance rénale sévère', source: rcp('du dabigatran (Pradaxa), rubrique 4.3') }],
    dose: [adult(300, rcp('du dabigatran (Pradaxa), rubrique 4.2'), 18)],
  },

  // Digestive.
  {
    id: 'metoclopramide',
    label: 'métoclopramide',
    names: ['métoclopramide'],
    renal: [
      { belowMlMin: 60, level: 'warning', maxMgPer24h: 15, text: 'dose réduite de moitié', source: { source: 'ANSM, métoclopramide : réévaluation européenne (2014) ; RCP, rubrique 4.2', url: ANSM } },
      { belowMlMin: 15, level: 'warning', maxMgPer24h: 7.5, text: 'dose réduite de 75 %', source: { source: 'ANSM, métoclopramide : réévaluation européenne (2014) ; RCP, rubrique 4.2', url: ANSM } },
    ],
    dose: [
      { maxYears: 18, maxMgPerKgPer24h: 0.5, who: 'chez l’enfant et l’adolescent', source: { source: 'ANSM, métoclopramide : réévaluation européenne (2014) ; RCP, rubrique 4.2', url: ANSM } },
      adult(30, { source: 'ANSM, métoclopramide : réévaluation européenne (2014) ; RCP, rubrique 4.2', url: ANSM }, 18),
    ],
  },
  {
    id: 'domperidone',
    label: 'dompéridone',
    names: ['dompéridone'],
    dose: [
      {
        minYears: 12,
        minKg: 35,
        maxMgPer24h: 30,
        who: 'chez l’adulte et l’adolescent de 12 ans et plus pesant au moins 35 kg',
        source: { source: 'ANSM, dompéridone : réévaluation européenne (2014) ; RCP, rubrique 4.2', url: ANSM },
      },
      adult(30, { source: 'ANSM, dompéridone : réévaluation européenne (2014) ; RCP, rubrique 4.2', url: ANSM }, 18),
    ],
  },

  // Teratogens.
  {
    id: 'valproate',
    label: 'valproate (acide valproïque)',
    names: ['acide valproïque', 'valproate de sodium', 'divalproate de sodium', 'valpromide'],
    pregnancy: teratogen(
      'contre-indication pendant la grossesse (malformations et troubles neurodéveloppementaux) ; dans l’épilepsie, seulement en l’absence d’alternative, après avis spécialisé',
      { source: 'ANSM, valproate et grossesse : programme de prévention des grossesses (2018) ; RCP, rubrique 4.3', url: ANSM },
    ),
  },
  {
    id: 'isotretinoine',
    label: 'isotrétinoïne orale',
    names: ['isotrétinoïne'],
    routes: ['orale'],
    pregnancy: teratogen('contre-indication pendant toute la grossesse (tératogène majeur)', {
      source: 'RCP de l’isotrétinoïne orale, rubrique 4.3 ; programme de prévention de la grossesse (ANSM)',
      url: BDPM,
    }),
    breastfeeding: { level: 'CI', text: 'contre-indication pendant l’allaitement', source: rcp('de l’isotrétinoïne orale, rubrique 4.3') },
  },
  {
    id: 'acitretine',
    label: 'acitrétine',
    names: ['acitrétine'],
    pregnancy: teratogen('contre-indication pendant toute la grossesse (tératogène majeur)', {
      source: 'RCP de l’acitrétine (Soriatane), rubrique 4.3 ; programme de prévention de la grossesse (ANSM)',
      url: BDPM,
    }),
    breastfeeding: { level: 'CI', text: 'contre-indication pendant l’allaitement', source: rcp('de l’acitrétine (Soriatane), rubrique 4.3') },
  },
  {
    id: 'methotrexate',
    label: 'méthotrexate',
    names: ['méthotrexate'],
    pregnancy: teratogen('contre-indication pendant la grossesse', rcp('du méthotrexate, rubrique 4.3')),
    breastfeeding: { level: 'CI', text: 'contre-indication pendant l’allaitement', source: rcp('du méthotrexate, rubrique 4.3') },
    renal: [
      { belowMlMin: 30, level: 'CI', text: 'contre-indication en cas d’insuffisance rénale sévère', source: rcp('du méthotrexate (Metoject), rubriques 4.2 et 4.3') },
      { belowMlMin: 60, level: 'warning', text: 'dose réduite de moitié', source: rcp('du méthotrexate (Metoject), rubrique 4.2') },
    ],
    onceWeekly: {
      text: 'le méthotrexate à faible dose se prend une fois par semaine, le même jour ; une prise quotidienne par erreur peut être mortelle',
      source: { source: 'ANSM, méthotrexate par voie orale : erreurs de prise quotidienne au lieu d’hebdomadaire ; RCP, rubrique 4.2', url: ANSM },
    },
  },
];
