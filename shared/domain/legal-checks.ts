/**
 * What the law asks of a prescription before it is signed (DOMAIN.md §2): the prescriber's and the
 * patient's mentions, a quantity on every drug line, the treatment durations (12 months, narcotics
 * 28 days or less, hypnotics and anxiolytics), renewals, the reason for « non substituable »,
 * drugs a GP may not prescribe, and the ALD flag. A blocking legal check cannot be overridden:
 * the prescription is corrected instead. Articles are those of the Code de la santé publique.
 */
import { ageOn, parseDate } from './dates';
import { dciOfSubstance } from './dci';
import { moietyKey } from './duplicate-checks';
import { daysText, durationDays, lineDays, MAX_TOTAL_DAYS, totalDays } from './durations';
import { frenchNumber } from './numbers';
import type { CheckLine, CheckPatient, Finding, Line, NonSubstitutionReason } from './prescription';
import { nonSubstitutionReasons } from './prescription';
import { prescriberProfileSchema, profileFields, type PrescriberProfile } from './profile';

export const LEGAL_SOURCE = 'Règles de prescription (CSP)';

/**
 * Under this age the prescription carries the weight. « Enfant » is read as the paediatric
 * population of the EU paediatric regulation (EC 1901/2006: birth to 18 years), since weight-based
 * dosing runs into adolescence; the GP types one number for a teenager rather than miss it for a child.
 */
export const WEIGHT_REQUIRED_UNDER_YEARS = 18;
/** « Non substituable (EFG) »: a child under 6 (arrêté du 12 novembre 2019). */
export const EFG_UNDER_YEARS = 6;
/** CSP R.5132-30: narcotics, 28 days at most unless an arrêté sets less. */
export const NARCOTIC_MAX_DAYS = 28;
/** Hypnotics 4 weeks, anxiolytics 12 weeks, renewals included (CSP R.5132-21 and its arrêtés). */
export const HYPNOTIC_MAX_DAYS = 28;
export const ANXIOLYTIC_MAX_DAYS = 84;

/**
 * The substances for which « non substituable (MTE) » may be written: the annex of the arrêté du
 * 12 novembre 2019, completed by the arrêté du 20 juillet 2022 (lacosamide, oxcarbazépine).
 * Matched by moiety, so the valproate's acid and the mycophenolate's salts are in.
 */
export const MTE_SUBSTANCES: readonly string[] = [
  'lamotrigine',
  'prégabaline',
  'zonisamide',
  'lévétiracétam',
  'topiramate',
  'valproate de sodium',
  'acide valproïque',
  'lévothyroxine',
  'mycophénolate mofétil',
  'mycophénolate sodique',
  'acide mycophénolique',
  'buprénorphine',
  'azathioprine',
  'ciclosporine',
  'évérolimus',
  'lacosamide',
  'oxcarbazépine',
];
const mteKeys = new Set(MTE_SUBSTANCES.map(moietyKey));

/**
 * Hypnotics and anxiolytics whose limit applies when the drug's BDPM conditions do not state it (a
 * referential imported without CIS_CPD): benzodiazepines and related drugs, and the anxiolytics
 * every specialty of which the BDPM limits to 12 weeks (hydroxyzine, buspirone, étifoxine). The
 * BDPM may be stricter for one specialty (clorazépate 20 mg: 4 weeks); it wins when present.
 */
export const HYPNOTICS: readonly string[] = ['zolpidem', 'zopiclone', 'lormétazépam', 'loprazolam', 'témazépam', 'estazolam', 'nitrazépam'];
export const ANXIOLYTICS: readonly string[] = [
  'alprazolam',
  'bromazépam',
  'lorazépam',
  'oxazépam',
  'diazépam',
  'clorazépate',
  'prazépam',
  'clotiazépam',
  'loflazépate d’éthyle',
  'nordazépam',
  'clobazam',
  'hydroxyzine',
  'buspirone',
  'étifoxine',
];
const hypnoticKeys = new Set(HYPNOTICS.map(moietyKey));
const anxiolyticKeys = new Set(ANXIOLYTICS.map(moietyKey));

/** A line as the legal checks read it: the lead adds what today's referential says of its drug. */
export interface LegalCheckLine extends CheckLine {
  /** The drug in today's referential (a draft reopened, a renewal); absent when unknown. */
  current?: { present: boolean; marketed: boolean };
}

export interface LegalCheckInput {
  profile: PrescriberProfile | null;
  patient: CheckPatient;
  lines: readonly LegalCheckLine[];
  /** The prescription's day, ISO. */
  today: string;
}

const profileFieldNames: Readonly<Record<(typeof profileFields)[number], string>> = {
  lastName: 'nom',
  firstName: 'prénom',
  specialty: 'spécialité',
  rpps: 'numéro RPPS',
  amNumber: 'numéro Assurance Maladie',
  practiceName: 'nom du cabinet',
  address: 'adresse',
  postalCode: 'code postal',
  city: 'ville',
  phone: 'téléphone',
  email: 'adresse e-mail',
};

type Rule =
  | 'profile'
  | 'patient-names'
  | 'patient-sex'
  | 'patient-birth-date'
  | 'patient-weight'
  | 'empty'
  | 'quantity'
  | 'total-duration'
  | 'narcotic-renewal'
  | 'narcotic-duration'
  | 'narcotic-infusion'
  | 'fractions'
  | 'limited-duration'
  | 'limited-duration-unknown'
  | 'non-substitution'
  | 'hospital-only'
  | 'restricted'
  | 'not-in-referential'
  | 'not-marketed'
  | 'ald';

interface Issue {
  rule: Rule;
  message: string;
  /** 'block': refuses signing; 'warn': shown, signing allowed; 'note': information. */
  severity: 'block' | 'warn' | 'note';
}

function finding(issue: Issue, scope: { key: string; index: number } | null): Finding {
  return {
    id: `legal:${issue.rule}:${scope === null ? 'prescription' : scope.key}`,
    kind: 'legal',
    level: issue.severity === 'note' ? 'info' : 'warning',
    blocking: issue.severity === 'block',
    overridable: false,
    message: issue.message,
    lines: scope === null ? [] : [scope.index],
    source: LEGAL_SOURCE,
  };
}

const joinFrench = (words: readonly string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} et ${words[words.length - 1]}`);

function profileIssues(profile: PrescriberProfile | null): Issue[] {
  if (profile === null) {
    const all = profileFields.filter((f) => f !== 'practiceName' && f !== 'specialty').map((f) => profileFieldNames[f]);
    return [
      {
        rule: 'profile',
        severity: 'block',
        message: `Votre profil de prescripteur n’est pas rempli : l’ordonnance doit porter votre ${joinFrench(all)} (CSP R.5132-3). Complétez-le dans Réglages › Profil du prescripteur.`,
      },
    ];
  }
  const parsed = prescriberProfileSchema.safeParse(profile);
  if (parsed.success) return [];
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '')));
  const fields = profileFields.filter((f) => bad.has(f)).map((f) => profileFieldNames[f]);
  const named = fields.length === 0 ? 'des champs' : fields.length === 1 ? `le champ ${fields[0]!}` : `les champs ${joinFrench(fields)}`;
  return [
    {
      rule: 'profile',
      severity: 'block',
      message: `Votre profil de prescripteur est incomplet ou invalide (${named}) : ces mentions sont obligatoires sur l’ordonnance (CSP R.5132-3). Corrigez-le dans Réglages › Profil du prescripteur.`,
    },
  ];
}

/** The birth date when it is a real day not after `today`, else null. */
function validBirthDate(patient: Pick<CheckPatient, 'birthDate'>, today: string): string | null {
  const iso = parseDate(patient.birthDate);
  return iso !== null && iso === patient.birthDate && iso <= today ? iso : null;
}

function patientIssues(patient: CheckPatient, today: string): Issue[] {
  const issues: Issue[] = [];
  const missing = [patient.birthName.trim() === '' ? 'le nom de naissance' : null, patient.firstNames.trim() === '' ? 'les prénoms' : null].filter(
    (m): m is string => m !== null,
  );
  if (missing.length > 0) {
    issues.push({
      rule: 'patient-names',
      severity: 'block',
      message: `Il manque ${joinFrench(missing)} du patient (mention obligatoire de l’ordonnance, CSP R.5132-3) : complétez son dossier.`,
    });
  }
  // « Indéterminé » is a sex the record may hold (a newborn whose sex is not yet declared): the
  // prescription carries it as it is rather than refuse a child a prescription; a note asks to
  // correct it if it was a slip.
  if (patient.sex === 'I') {
    issues.push({
      rule: 'patient-sex',
      severity: 'note',
      message: 'Le sexe du patient est « indéterminé » : l’ordonnance le mentionnera tel quel. S’il s’agit d’une erreur de saisie, corrigez son dossier.',
    });
  }
  const birth = validBirthDate(patient, today);
  if (birth === null) {
    issues.push({
      rule: 'patient-birth-date',
      severity: 'block',
      message:
        patient.birthDate.trim() === ''
          ? 'La date de naissance du patient est obligatoire sur l’ordonnance (CSP R.5132-3) : complétez son dossier.'
          : 'La date de naissance du patient n’est pas valide (ou postérieure à aujourd’hui) : corrigez son dossier, elle est obligatoire sur l’ordonnance (CSP R.5132-3).',
    });
  } else if (patient.weightKg === null && ageOn(birth, today) < WEIGHT_REQUIRED_UNDER_YEARS) {
    issues.push({
      rule: 'patient-weight',
      severity: 'block',
      message: `Le patient a moins de ${WEIGHT_REQUIRED_UNDER_YEARS} ans : l’ordonnance d’un enfant porte son poids (CSP R.5132-3 : « si nécessaire, sa taille et son poids »), sur lequel se calculent les doses pédiatriques. Indiquez un poids récent dans son dossier.`,
    });
  }
  return issues;
}

/** Whether a line may carry the ALD flag: the patient has a condition recognised as ALD. */
export function aldAllowed(patient: Pick<CheckPatient, 'conditions'>): boolean {
  return patient.conditions.some((c) => c.ald);
}

function lineMoietyKeys(drug: NonNullable<CheckLine['drug']>): Set<string> {
  return new Set(drug.substances.map((s) => moietyKey(s.name)));
}

function mteSubstancesOf(drug: NonNullable<CheckLine['drug']>): string[] {
  return [...new Set(drug.substances.filter((s) => mteKeys.has(moietyKey(s.name))).map((s) => dciOfSubstance(s.name)))];
}

/** The reasons for « non substituable » the line may carry, in the order the screen offers them. */
export function allowedNonSubstitutionReasons(line: CheckLine, patient: Pick<CheckPatient, 'birthDate'>, today: string): NonSubstitutionReason[] {
  if (line.line.kind !== 'drug' || line.drug === null) return [];
  const drug = line.drug;
  const birth = validBirthDate(patient, today);
  const allowed: Record<NonSubstitutionReason, boolean> = {
    MTE: mteSubstancesOf(drug).length > 0,
    EFG: birth !== null && ageOn(birth, today) < EFG_UNDER_YEARS,
    // The GP attests the contraindicated excipient; nothing in the referential can contradict it.
    CIF: true,
  };
  return nonSubstitutionReasons.filter((r) => allowed[r]);
}

function nonSubstitutionIssue(l: CheckLine, patient: CheckPatient, today: string): Issue | null {
  const reason = l.line.nonSubstitution;
  if (reason === null) return null;
  if (l.line.kind === 'free') {
    return {
      rule: 'non-substitution',
      severity: 'block',
      message: 'une ligne libre n’est pas une spécialité de la base et ne peut pas être déclarée « non substituable ». Retirez la mention, ou choisissez le médicament dans la base.',
    };
  }
  if (allowedNonSubstitutionReasons(l, patient, today).includes(reason)) return null;
  if (reason === 'MTE') {
    return {
      rule: 'non-substitution',
      severity: 'block',
      message:
        'la mention « non substituable (MTE) » est réservée aux médicaments à marge thérapeutique étroite de la liste de l’arrêté du 12 novembre 2019 (CSP L.5125-23) ; aucune substance de cette ligne n’y figure. Retirez la mention ou choisissez le motif qui s’applique.',
    };
  }
  const birth = validBirthDate(patient, today);
  const age = birth === null ? 'la date de naissance du patient est inconnue' : `le patient a ${frenchNumber(ageOn(birth, today))} ans`;
  return {
    rule: 'non-substitution',
    severity: 'block',
    message: `la mention « non substituable (EFG) » est réservée à l’enfant de moins de ${EFG_UNDER_YEARS} ans (arrêté du 12 novembre 2019, CSP L.5125-23) ; ${age}. Retirez la mention ou choisissez le motif qui s’applique.`,
  };
}

/** « limitée à 7 jours ou 28 jours » (morphine injectable): the longer limit, which needs an infusion pump. */
function infusionLimitDays(conditions: readonly string[]): number | null {
  for (const c of conditions) {
    const m = /limitée à \d+ (?:jours?|semaines?) ou (\d+) (jours?|semaines?)/i.exec(c);
    if (m !== null) return Number(m[1]) * (m[2]!.toLowerCase().startsWith('semaine') ? 7 : 1);
  }
  return null;
}

function narcoticIssues(l: CheckLine): Issue[] {
  const drug = l.drug!;
  const issues: Issue[] = [];
  if (l.line.renewals > 0) {
    issues.push({
      rule: 'narcotic-renewal',
      severity: 'block',
      message: `un stupéfiant ne se renouvelle pas : une ordonnance en couvre au plus ${NARCOTIC_MAX_DAYS} jours (CSP R.5132-30), le renouvellement des listes I et II (CSP R.5132-22) ne s’y applique pas. Mettez les renouvellements à zéro et rédigez une nouvelle ordonnance sécurisée à l’échéance.`,
    });
  }
  const own = drug.prescriptionLimitDays;
  const infusion = infusionLimitDays(drug.conditions);
  const hard = Math.min(NARCOTIC_MAX_DAYS, infusion ?? own ?? NARCOTIC_MAX_DAYS);
  const days = lineDays(l.line);
  if (days === null) {
    issues.push({
      rule: 'narcotic-duration',
      severity: 'block',
      message: `pour un stupéfiant, la durée du traitement doit être écrite (au plus ${daysText(hard)}, CSP R.5132-30) : indiquez-la en jours ou en semaines, le nombre de boîtes ne suffit pas.`,
    });
  } else if (days > hard) {
    const why = hard < NARCOTIC_MAX_DAYS ? `ce stupéfiant se prescrit pour ${daysText(hard)} au plus (ses conditions de prescription, arrêté pris en application du CSP R.5132-30)` : `un stupéfiant se prescrit pour ${daysText(hard)} au plus (CSP R.5132-30)`;
    issues.push({ rule: 'narcotic-duration', severity: 'block', message: `${why} ; la durée écrite est de ${writtenText(l.line)}. Réduisez-la.` });
  } else if (infusion !== null && own !== null && days > own) {
    issues.push({
      rule: 'narcotic-infusion',
      severity: 'warn',
      message: `ce stupéfiant est limité à ${daysText(own)}, ou à ${daysText(infusion)} lorsqu’il est administré par un système actif de perfusion (pompe) ; la durée écrite est de ${writtenText(l.line)}. Sans pompe, réduisez-la à ${daysText(own)}.`,
    });
  }
  return issues;
}

/** The limit of a non-narcotic drug: its BDPM conditions, else the class of its substances. */
function durationLimit(drug: NonNullable<CheckLine['drug']>): { days: number; why: string } | null {
  if (drug.prescriptionLimitDays !== null) return { days: drug.prescriptionLimitDays, why: 'par ses conditions de prescription (CSP R.5132-21)' };
  const keys = lineMoietyKeys(drug);
  if ([...keys].some((k) => hypnoticKeys.has(k))) return { days: HYPNOTIC_MAX_DAYS, why: 'comme hypnotique (CSP R.5132-21)' };
  if ([...keys].some((k) => anxiolyticKeys.has(k))) return { days: ANXIOLYTIC_MAX_DAYS, why: 'comme anxiolytique (CSP R.5132-21)' };
  return null;
}

function limitedDurationIssues(l: CheckLine): Issue[] {
  const limit = durationLimit(l.drug!);
  if (limit === null) return [];
  const total = totalDays(l.line);
  if (total === null) {
    return [
      {
        rule: 'limited-duration-unknown',
        severity: 'warn',
        message: `ce médicament est limité à ${daysText(limit.days)} ${limit.why} ; avec un nombre de boîtes seul, la durée ne peut être vérifiée. Indiquez plutôt la durée du traitement.`,
      },
    ];
  }
  if (total <= limit.days) return [];
  return [
    {
      rule: 'limited-duration',
      severity: 'block',
      message: `ce médicament est limité à ${daysText(limit.days)} ${limit.why} ; cette ligne couvre ${coveredText(l.line)}. Réduisez la durée ou le nombre de renouvellements.`,
    },
  ];
}

/** « 1 mois, soit 30 jours »: what the GP wrote, in the days the limits count. */
function writtenText(line: Line): string {
  if (line.duration === null) return '';
  const days = durationDays(line.duration);
  return line.duration.unit === 'months' ? `${frenchNumber(line.duration.value)} mois, soit ${frenchNumber(days)} jours` : daysText(days);
}

/** « 42 jours, renouvellements compris (14 jours × 3) », or the written duration when not renewed. */
function coveredText(line: Line): string {
  const total = totalDays(line);
  if (total === null) return '';
  if (line.renewals === 0) return writtenText(line);
  return `${frenchNumber(total)} jours, renouvellements compris (${frenchNumber(lineDays(line)!)} jours × ${1 + line.renewals})`;
}

function quotedConditions(conditions: readonly string[], pattern: RegExp): string {
  return joinFrench(conditions.filter((c) => pattern.test(c)).map((c) => `« ${c} »`));
}

function drugLineIssues(l: LegalCheckLine): Issue[] {
  const drug = l.drug;
  if (drug === null) return [];
  const issues: Issue[] = [];
  if (drug.flags.narcotic) issues.push(...narcoticIssues(l));
  else issues.push(...limitedDurationIssues(l));
  const fraction = drug.conditions.map((c) => /délivrance fractionnée de (\d+) jours/i.exec(c)?.[1]).find((d) => d !== undefined);
  if (fraction !== undefined && (lineDays(l.line) ?? Infinity) > Number(fraction)) {
    issues.push({
      rule: 'fractions',
      severity: 'note',
      message: `délivrance fractionnée par ${daysText(Number(fraction))} : l’ordonnance doit mentionner la durée de chaque fraction, ou « délivrance en une seule fois » si la situation du patient le justifie (CSP R.5132-30).`,
    });
  }
  if (drug.flags.hospitalOnly) {
    issues.push({
      rule: 'hospital-only',
      severity: 'block',
      message:
        'ce médicament est réservé à l’usage hospitalier ou à la prescription hospitalière (prescription restreinte, CSP R.5121-77) : un médecin de ville ne peut pas le prescrire. Retirez la ligne ; le patient l’obtiendra par l’hôpital.',
    });
  } else if (drug.flags.hospitalInitial || drug.flags.specialistOnly) {
    const quoted = quotedConditions(drug.conditions, /hospitali|spécialiste|médecins? (?:hospitaliers|exerçant)|réservée? (?:aux|à certains)/i);
    issues.push({
      rule: 'restricted',
      severity: 'note',
      message: `prescription restreinte${quoted === '' ? '' : ` : ${quoted}`}. Vous pouvez la renouveler lorsque seule la prescription initiale est réservée : le patient présente au pharmacien l’ordonnance initiale en cours de validité avec la vôtre.`,
    });
  }
  if (l.current !== undefined && !l.current.present) {
    issues.push({
      rule: 'not-in-referential',
      severity: 'warn',
      message: 'ce médicament n’est plus dans la base des médicaments installée (retiré ou abrogé) : le pharmacien risque de ne pas pouvoir le délivrer. Vérifiez-le, ou choisissez-en un autre.',
    });
  } else if (!(l.current?.marketed ?? !drug.flags.notMarketed)) {
    issues.push({
      rule: 'not-marketed',
      severity: 'warn',
      message: 'ce médicament n’est pas commercialisé d’après la base des médicaments : le pharmacien risque de ne pas l’avoir. Choisissez une présentation commercialisée si possible.',
    });
  }
  return issues;
}

function lineIssues(l: LegalCheckLine, patient: CheckPatient, today: string): Issue[] {
  const issues: Issue[] = [];
  const line = l.line;
  if (line.kind === 'drug' && line.duration === null && line.packs === null) {
    issues.push({
      rule: 'quantity',
      severity: 'block',
      message: 'indiquez la durée du traitement ou le nombre de boîtes (CSP R.5132-3).',
    });
  }
  const total = totalDays(line);
  if (total !== null && total > MAX_TOTAL_DAYS) {
    const listed = l.drug !== null && (l.drug.flags.listI || l.drug.flags.listII || l.drug.flags.narcotic);
    issues.push({
      rule: 'total-duration',
      severity: 'block',
      message: `la durée totale de traitement est de ${coveredText(line)} ; une ordonnance couvre au plus 12 mois (${MAX_TOTAL_DAYS} jours)${listed ? ' pour un médicament des listes I et II (CSP R.5132-21 et R.5132-22)' : ''}. Réduisez la durée ou le nombre de renouvellements.`,
    });
  }
  if (line.kind === 'drug') issues.push(...drugLineIssues(l));
  const ns = nonSubstitutionIssue(l, patient, today);
  if (ns !== null) issues.push(ns);
  if (line.ald && !aldAllowed(patient)) {
    issues.push({
      rule: 'ald',
      severity: 'block',
      message: 'la ligne est marquée ALD alors que le dossier du patient ne mentionne aucune affection de longue durée. Retirez la mention ALD, ou ajoutez l’ALD à son dossier si elle est reconnue.',
    });
  }
  return issues;
}

function lineLabel(l: CheckLine): string {
  if (l.line.kind === 'free') return l.line.text;
  return l.drug?.dciLabel ?? l.line.cis;
}

/** Every legal finding of the prescription, the prescription's own first, then line by line. */
export function legalChecks(input: LegalCheckInput): Finding[] {
  const { profile, patient, lines, today } = input;
  const findings: Finding[] = [...profileIssues(profile), ...patientIssues(patient, today)].map((i) => finding(i, null));
  if (lines.length === 0) findings.push(finding({ rule: 'empty', severity: 'block', message: 'L’ordonnance est vide. Ajoutez au moins une ligne.' }, null));
  lines.forEach((l, index) => {
    for (const issue of lineIssues(l, patient, today)) {
      findings.push(finding({ ...issue, message: `Ligne ${index + 1} (${lineLabel(l)}) : ${issue.message}` }, { key: l.line.key, index }));
    }
  });
  return findings;
}

/** For the screen's duration hint: the shortest limit that applies to the line's drug, if any. */
export function durationLimitDays(drug: NonNullable<CheckLine['drug']>): number | null {
  if (drug.flags.narcotic) return Math.min(NARCOTIC_MAX_DAYS, drug.prescriptionLimitDays ?? NARCOTIC_MAX_DAYS);
  return durationLimit(drug)?.days ?? null;
}
