/**
 * The unit a dose is counted in, from the drug's BDPM pharmaceutical form (« comprimé pelliculé
 * sécable » → comprimé, « collyre en solution » → goutte), and the posology a newly picked drug
 * starts with; and how each unit is written, in digits and in letters, with its gender.
 *
 * Every form of the BDPM maps by one of the explicit rules below, first match wins; the rules
 * are proved over every distinct form of the real 2019 release (test/unit/dose-units.test.ts).
 * A few forms have no unit among `doseUnits` (homeopathic granules, lozenges, gums, films, rings,
 * implants, medical gases): they get the generic « unité », which the GP replaces.
 */
import type { DoseUnit, Posology } from './prescription';

/** How a unit is written: its noun in digits mode and in letters, and the gender of that noun. */
export interface DoseUnitNoun {
  singular: string;
  plural: string;
  feminine: boolean;
  /**
   * A unit of measure (ml, mg, g, UI): written after a decimal number (« 2,5 ml »), never cut in
   * halves, and spelt out in letters (« deux virgule cinq millilitres »). Others are counted
   * objects or acts (« 1 comprimé ½ », « une demi-gélule »).
   */
  measured: boolean;
  /** The noun in letters when it differs (« ml » → « millilitre »). */
  words?: { singular: string; plural: string };
}

const counted = (singular: string, feminine: boolean, plural = `${singular}s`): DoseUnitNoun => ({ singular, plural, feminine, measured: false });
const measure = (symbol: string, singular: string, plural: string, feminine = false): DoseUnitNoun => ({
  singular: symbol,
  plural: symbol,
  feminine,
  measured: true,
  words: { singular, plural },
});

/** The noun of every dose unit, as a prescription writes it (gender: Trésor de la langue française). */
export const doseUnitNouns: Readonly<Record<DoseUnit, DoseUnitNoun>> = {
  comprimé: counted('comprimé', false),
  gélule: counted('gélule', true),
  capsule: counted('capsule', true),
  sachet: counted('sachet', false),
  ml: measure('ml', 'millilitre', 'millilitres'),
  mg: measure('mg', 'milligramme', 'milligrammes'),
  g: measure('g', 'gramme', 'grammes'),
  goutte: counted('goutte', true),
  bouffée: counted('bouffée', true),
  pulvérisation: counted('pulvérisation', true),
  application: counted('application', true),
  UI: measure('UI', 'unité internationale', 'unités internationales', true),
  suppositoire: counted('suppositoire', false),
  ovule: counted('ovule', false),
  patch: counted('patch', false),
  ampoule: counted('ampoule', true),
  flacon: counted('flacon', false),
  dose: counted('dose', true),
  // A compound noun: only « cuillère » takes the plural (« deux cuillères-mesure »).
  'cuillère-mesure': counted('cuillère-mesure', true, 'cuillères-mesure'),
  pipette: counted('pipette', true),
  stylo: counted('stylo', false),
  injection: counted('injection', true),
  unité: counted('unité', true),
};

/** What besides the form may tell the unit; every field is optional. */
export interface FormContext {
  /** The DCI label or the substances' names: an insulin's dose is counted in UI. */
  substances?: string | null;
  /** The specialty's name, whose form part names the container (« …, solution buvable en ampoule »). */
  name?: string | null;
  /** The BDPM routes (« nasale », « cutanée »): they tell what a bare « solution » is for. */
  routes?: readonly string[] | null;
}

/** One rule: the forms it covers (normalised: lower case, BDPM agreement marks removed) and their unit. */
export interface DoseUnitRule {
  /** Why, in a few words (English): what the test prints for the forms falling to « unité ». */
  name: string;
  pattern: RegExp;
  unit: DoseUnit;
}

/**
 * The rules, in order. Choices that need a word:
 * - « solution injectable » → injection, not ml: what a GP prescribes is a number of injections
 *   of a unit presentation (a prefilled syringe, an ampoule, a pen, a vaccine); a dose in ml
 *   belongs to multi-dose vials, mostly hospital ones, where the GP changes the unit. An insulin
 *   is the exception, counted in UI (`FormContext.substances`).
 * - a powder or granules « pour suspension buvable » → ml: the suspension is made once in its
 *   bottle and each dose is measured in ml (the pipette or the spoon is graduated so); a powder
 *   « pour solution buvable » → sachet, since the BDPM 2019 packs of those forms are sachets
 *   (94 of 102).
 * - a dry-powder inhaler → dose (its strength is « par dose »), a pressurised one → bouffée, a
 *   nebuliser's unit-dose container → dose, an inhalation capsule → gélule.
 * - the homeopathic strains' forms (« granules », « comprimé et solution et granules… ») →
 *   unité: granules are counted, and `doseUnits` has no « granule ».
 */
export const doseUnitRules: readonly DoseUnitRule[] = [
  // Homeopathy: « granules » (not « granulés ») is the homeopathic globule; the multi-form strains list it.
  { name: 'homeopathic granules (no granule unit)', pattern: /^granules(?: et |$)|(?:^| et )granules(?: et |$)/, unit: 'unité' },
  { name: 'radiopharmaceutical precursor (labels another drug)', pattern: /^précurseur radiopharmaceutique/, unit: 'unité' },
  { name: 'radiopharmaceutical kit or generator (given as an injection)', pattern: /radiopharmaceutique|^trousse|générateur|éluat/, unit: 'injection' },
  { name: 'eye drops', pattern: /collyre/, unit: 'goutte' },
  { name: 'ophthalmic insert (no insert unit)', pattern: /^insert\b/, unit: 'unité' },
  { name: 'implant (no implant unit)', pattern: /^implant$/, unit: 'unité' },
  { name: 'surgical matrix, glue or implantable (applied by the surgeon)', pattern: /implantable|pour colle|^matrice/, unit: 'application' },
  { name: 'eye or wound wash', pattern: /lavage/, unit: 'application' },
  { name: 'dialysis, haemofiltration, irrigation (prescribed by volume)', pattern: /dialyse|hémofiltration|hémodiafiltration|irrigation/, unit: 'ml' },
  { name: 'intravesical instillation (one vial each)', pattern: /intravésical/, unit: 'flacon' },
  { name: 'skin prick test', pattern: /prick-test/, unit: 'application' },
  { name: 'oral or injectable ampoule (one ampoule either way)', pattern: /buvable.* injectable|injectable.* buvable/, unit: 'ampoule' },
  { name: 'injectable', pattern: /injectable|injection|perfusion|parentéral|pour marquage|^solvant pour préparation|^poudre à diluer/, unit: 'injection' },
  // Inhalation.
  { name: 'inhalation powder in capsules', pattern: /pour inhalation en gélule/, unit: 'gélule' },
  { name: 'capsule to inhale in vapour', pattern: /^capsule pour inhalation/, unit: 'capsule' },
  { name: 'medical gas (a flow, not a dose)', pattern: /^gaz\b/, unit: 'unité' },
  { name: 'nicotine inhaler cartridge (no cartridge unit)', pattern: /^cartouche pour inhalation/, unit: 'unité' },
  { name: 'anaesthetic vapour (by volume)', pattern: /^liquide (?:par vapeur pour inhalation|pour inhalation par vapeur)$/, unit: 'ml' },
  { name: 'fumigation or impregnated inhaler (one inhalation)', pattern: /fumigation|par vapeur|^tampon imprégné/, unit: 'application' },
  { name: 'nebuliser (one unit-dose container)', pattern: /nébuliseur/, unit: 'dose' },
  { name: 'dry-powder inhaler or powder to inhale', pattern: /^poudre.* inhalation/, unit: 'dose' },
  { name: 'pressurised inhaler', pattern: /inhalation/, unit: 'bouffée' },
  // Nose, mouth and ears.
  { name: 'desmopressin nasal solution by catheter (by volume)', pattern: /endonasale/, unit: 'ml' },
  { name: 'spray', pattern: /pulvérisation|^collutoire/, unit: 'pulvérisation' },
  { name: 'drops', pattern: /gouttes/, unit: 'goutte' },
  { name: 'mother tincture (in drops)', pattern: /^liquide$/, unit: 'goutte' },
  // Oral liquids and what makes them.
  { name: 'tablet (also one to disperse in water)', pattern: /^comprimé|^microgranule en comprimé|^pilule/, unit: 'comprimé' },
  { name: 'cholera vaccine: suspension and granules (one dose)', pattern: /^suspension et granulés/, unit: 'dose' },
  { name: 'syrup', pattern: /sirop/, unit: 'ml' },
  { name: 'powder or granules for an oral solution (sachets)', pattern: /^(?:poudre|granulés)\b.*(?:pour solution buvable|buvable pour solution)/, unit: 'sachet' },
  { name: 'effervescent powder for an oral suspension (sachets)', pattern: /^poudre (?:buvable )?effervescent pour suspension(?: buvable)?$/, unit: 'sachet' },
  { name: 'oral liquid, or powder for an oral suspension (by volume)', pattern: /buvable|^gel intestinal/, unit: 'ml' },
  { name: 'ear or nose instillation', pattern: /instillation/, unit: 'goutte' },
  // Solid oral forms.
  { name: 'oral lyophilisate (taken as a tablet)', pattern: /^lyophilisat$/, unit: 'comprimé' },
  { name: 'capsule (gélule)', pattern: /gélule|^microgranule/, unit: 'gélule' },
  { name: 'soft capsule', pattern: /^capsule/, unit: 'capsule' },
  { name: 'lozenge, gum, film (no unit of their own)', pattern: /^pastille|^gomme|^pâte à sucer|^film/, unit: 'unité' },
  { name: 'granules, coated or in bulk, with a measuring spoon', pattern: /^granulés (?:enrobé en vrac|gastro-résistant)$/, unit: 'cuillère-mesure' },
  { name: 'granules (sachets)', pattern: /^granulés/, unit: 'sachet' },
  { name: 'herbal tea in bulk (weighed)', pattern: /tisane en vrac|^graines$/, unit: 'g' },
  { name: 'herbal tea (sachets)', pattern: /tisane/, unit: 'sachet' },
  { name: 'oral jelly in a pot (spoonfuls, no spoon unit)', pattern: /^gelée$/, unit: 'unité' },
  { name: 'oral powder (sachets)', pattern: /^poudre(?: et poudre)?$|^poudre pour usage diagnostic$/, unit: 'sachet' },
  // Rectal, vaginal, transdermal.
  { name: 'suppository', pattern: /^suppositoire/, unit: 'suppositoire' },
  { name: 'pessary', pattern: /^ovule/, unit: 'ovule' },
  { name: 'vaginal ring or intra-uterine system (no unit of its own)', pattern: /^système de diffusion/, unit: 'unité' },
  { name: 'transdermal patch or medicated plaster', pattern: /^dispositif|^emplâtre|^pansement/, unit: 'patch' },
  // Skin, mucosae, teeth.
  {
    name: 'cream, gel, ointment and other topical or dental forms',
    pattern:
      /^(?:crème|gel|pommade|pâte|lotion|mousse|émulsion|shampooing|vernis|bâton|cône|éponge|compresse|bain de bouche)|pour application|usage dentaire|dentifrice|bain de bouche|gargarisme|moussant|filmogène/,
    unit: 'application',
  },
  // Last: the liquids and kits the form leaves open.
  { name: 'powder and solvent (an injectable kit)', pattern: /^poudre et solvant/, unit: 'injection' },
  { name: 'other solution, suspension or powder for one (by volume)', pattern: /^(?:solution|suspension|émulsion|poudre pour (?:solution|suspension))\b/, unit: 'ml' },
];

/** The form as the rules read it: « Comprimé(s) pelliculé » → « comprimé pelliculé ». */
export function normalizeForm(form: string): string {
  return form
    .normalize('NFC')
    .toLowerCase()
    .replace(/\((?:s|e|es|ve|se)\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The rule a form falls under, or null when none does (then the unit is « unité »). */
export function doseUnitRule(form: string): DoseUnitRule | null {
  const text = normalizeForm(form);
  return doseUnitRules.find((r) => r.pattern.test(text)) ?? null;
}

// A bare « solution » or « suspension » (and the like), whose use only the route tells.
const OPEN_LIQUID = /^(?:solution|suspension|émulsion|poudre pour (?:solution|suspension))(?: et| ou)?$/;
const ROUTE_UNITS: readonly [RegExp, DoseUnit][] = [
  [/nasale/, 'pulvérisation'],
  [/ophtalmique|auriculaire/, 'goutte'],
  [/cutanée|vaginale|rectale|dentaire|gingivale|buccale/, 'application'],
];

/**
 * The unit a dose of a drug of that form is counted in: « comprimé pelliculé » → comprimé,
 * « poudre pour suspension buvable » → ml, « solution injectable » → injection (UI for an
 * insulin). The context, when given, refines what the form leaves open: an oral solution « en
 * ampoule » is counted in ampoules, a suspension « en sachet » in sachets, a bare « solution »
 * for the nose in sprays.
 */
export function unitForForm(form: string, context: FormContext = {}): DoseUnit {
  const rule = doseUnitRule(form);
  const unit = rule?.unit ?? 'unité';
  const substances = context.substances ?? '';
  if (unit === 'injection' && /\binsulin/i.test(substances)) return 'UI';
  // The specialty's name after its first comma is the long form: « …, solution buvable en ampoule ».
  const nameForm = (context.name ?? '').toLowerCase().split(/,\s/).slice(1).join(', ');
  if (unit === 'ml' && /buvable/.test(normalizeForm(form))) {
    if (/\ben ampoules?\b/.test(nameForm)) return 'ampoule';
    if (/\ben sachets?(?:-dose)?\b|\bsachets?-dose\b/.test(nameForm)) return 'sachet';
  }
  if (unit === 'ml' && OPEN_LIQUID.test(normalizeForm(form))) {
    const routes = (context.routes ?? []).join(';').toLowerCase();
    // A liquid also taken by mouth (« orale ; rectale ») keeps its ml.
    const found = /\borale\b/.test(routes) ? undefined : ROUTE_UNITS.find(([pattern]) => pattern.test(routes));
    if (found !== undefined) return found[1];
  }
  return unit;
}

// Units where « 1, once a day » means nothing (a volume, a mass, UI, an injection, a patch worn
// for 1 to 7 days, a measuring spoon) or the form is not one dose (« unité »): the GP writes it.
const NO_DEFAULT: ReadonlySet<DoseUnit> = new Set<DoseUnit>(['unité', 'ml', 'mg', 'g', 'UI', 'injection', 'patch', 'flacon', 'ampoule', 'stylo', 'pipette', 'cuillère-mesure']);

/**
 * The posology a drug of that form starts with, for the GP to edit: 1 unit once a day, the
 * moments and the route left open. Null where no default makes sense: the units above, and
 * drops other than eye drops (an oral or ear dose is 2 to 40 drops).
 */
export function defaultPosology(form: string, context: FormContext = {}): Posology | null {
  const unit = unitForForm(form, context);
  if (NO_DEFAULT.has(unit)) return null;
  if (unit === 'goutte' && !/collyre/.test(normalizeForm(form))) return null;
  return { dose: 1, unit, frequency: { kind: 'perDay', times: 1 }, moments: [], asNeeded: false, maxPer24h: null, route: null };
}
