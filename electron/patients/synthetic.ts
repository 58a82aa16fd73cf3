/**
 * Fake French patients for benchmarks, tests and demonstrations: common names drawn at random
 * (accents, compound and particle names included), NIRs with a correct key that agree with the sex
 * and the date of birth. Deterministic for a seed. These are random combinations, never records
 * of real people; do not load them into a practice's real register.
 */
import { nirKey } from '../../shared/domain/nir';
import type { PatientData } from '../../shared/domain/patient';

const SURNAMES = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel',
  'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine',
  'Rousseau', 'Vincent', 'Muller', 'Lefebvre', 'Faure', 'André', 'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier',
  'François', 'Legrand', 'Gauthier', 'Garcia', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu',
  'Masson', 'Marchand', 'Duval', 'Denis', 'Dumont', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier', 'Brun', 'Blanchard',
  'Giraud', 'Joly', 'Rivière', 'Lucas', 'Brunet', 'Gaillard', 'Barbier', 'Arnaud', 'Martinez', 'Gérard', 'Roche', 'Renard',
  'Schmitt', 'Roy', 'Leroux', 'Colin', 'Vidal', 'Caron', 'Picard', 'Roger', 'Fabre', 'Aubert', 'Lemoine', 'Renaud', 'Dumas',
  'Lacroix', 'Olivier', 'Philippe', 'Bourgeois', 'Benoît', 'Rey', 'Leclerc', 'Payet', 'Rolland', 'Guillaume', 'Lecomte',
  'Lopez', 'Dupuy', 'Guillot', 'Hubert', 'Berger', 'Carpentier', 'Sanchez', 'Dupuis', 'Moulin', 'Deschamps', 'Huet', 'Vasseur',
  'Perez', 'Boucher', 'Fleury', 'Royer', 'Klein', 'Jacquet', 'Adam', 'Poirier', 'Marty', 'Aubry', 'Guyot', 'Carré',
  'Charpentier', 'Ménard', 'Maillard', 'Baron', 'Bertin', 'Bailly', 'Hervé', 'Schneider', 'Fernandez', 'Le Gall', 'Collet',
  'Léger', 'Bouvier', 'Prévost', 'Millet', 'Perrot', 'Le Roux', 'Cousin', 'Germain', 'Breton', 'Besson', 'Langlois', 'Rémy',
  'Le Goff', 'Pelletier', 'Lévêque', 'Perrier', 'Leblanc', 'Barré', 'Lebrun', 'Marchal', 'Weber', 'Hamon', 'Boulanger',
  'Monnier', 'Michaud', 'Guichard', 'Étienne', 'Grondin', 'Tessier', 'Chauvin', 'Da Silva', 'Bouchet', 'Lemaître', 'Bénard',
  'Humbert', 'Reynaud', 'Hoarau', 'Perret', 'Barthélemy', 'Cordier', 'Lejeune', 'Delaunay', 'Pasquier', 'Laporte',
  "N'Diaye", 'Béranger', 'Héraud', 'Lefèvre-Dupont', 'Saint-Martin', 'Després', 'Gaudin', 'Côté', 'Pérez', 'Jégou',
];

const FEMALE = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Françoise', 'Valérie', 'Christine', 'Monique', 'Sandrine', 'Hélène',
  'Sophie', 'Céline', 'Chantal', 'Patricia', 'Anne', 'Brigitte', 'Julie', 'Émilie', 'Aurélie', 'Camille', 'Léa', 'Manon', 'Chloé',
  'Emma', 'Inès', 'Jade', 'Louise', 'Zoé', 'Lina', 'Anaïs', 'Clémence', 'Océane', 'Maëlys', 'Léna', 'Agnès', 'Josiane',
  'Geneviève', 'Thérèse', 'Cécile', 'Mélanie', 'Amélie', 'Élodie', 'Noémie', 'Bérénice', 'Maïwenn', 'Héloïse', 'Margaux',
  'Justine', 'Pauline', 'Laëtitia', 'Stéphanie', 'Véronique', 'Danièle', 'Odile', 'Éléonore', 'Gaëlle', 'Solène', 'Anne-Sophie',
  'Marie-Claire', 'Marie-Hélène', 'Jeanne', 'Alice', 'Rose', 'Ambre', 'Romane', 'Apolline', 'Léonie', 'Capucine', 'Joséphine',
];

const MALE = [
  'Jean', 'Pierre', 'Michel', 'André', 'Philippe', 'René', 'Louis', 'Alain', 'Jacques', 'Bernard', 'Marcel', 'Daniel', 'Roger',
  'Robert', 'Paul', 'Claude', 'Christian', 'Henri', 'Georges', 'Nicolas', 'François', 'Patrick', 'Gérard', 'Christophe',
  'Joseph', 'Julien', 'Éric', 'Frédéric', 'Stéphane', 'Laurent', 'Sébastien', 'David', 'Thierry', 'Olivier', 'Jérôme', 'Benoît',
  'Gaël', 'Maël', 'Noé', 'Léo', 'Gabriel', 'Raphaël', 'Arthur', 'Jules', 'Hugo', 'Lucas', 'Théo', 'Nathan', 'Timothée',
  'Aurélien', 'Cédric', 'Grégoire', 'Clément', 'Loïc', 'Yannick', 'Hervé', 'Joël', 'Mathéo', 'Jean-Pierre', 'Jean-François',
  'Jean-Luc', 'Pierre-Yves', 'Anatole', 'Baptiste', 'Rémi', 'Félix', 'Anaël', 'Adrien', 'Étienne', 'Zacharie', 'Côme',
];

/** Birth places: département code (2A/2B for Corsica, 99 abroad) and a commune/country code. */
const PLACES: readonly [string, string, string, string][] = [
  // dept, commune, postal code, city (the city where the patient lives now, for the address)
  ['75', '112', '75012', 'Paris'],
  ['69', '123', '69003', 'Lyon'],
  ['13', '055', '13005', 'Marseille'],
  ['31', '555', '31000', 'Toulouse'],
  ['33', '063', '33000', 'Bordeaux'],
  ['59', '350', '59000', 'Lille'],
  ['44', '109', '44000', 'Nantes'],
  ['67', '482', '67000', 'Strasbourg'],
  ['35', '238', '35000', 'Rennes'],
  ['38', '185', '38000', 'Grenoble'],
  ['2A', '004', '20000', 'Ajaccio'],
  ['2B', '033', '20200', 'Bastia'],
  ['29', '019', '29200', 'Brest'],
  ['63', '113', '63000', 'Clermont-Ferrand'],
  ['99', '350', '69007', 'Lyon'],
  ['99', '134', '13001', 'Marseille'],
];

const STREETS = ['rue de la République', 'avenue Jean-Jaurès', 'rue Victor-Hugo', 'place de l’Église', 'boulevard Pasteur', 'chemin des Écoliers', 'rue du Général-de-Gaulle', 'allée des Tilleuls'];
const ALLERGENS = ['Pénicillines', 'Amoxicilline', 'Sulfamides', 'AINS', 'Aspirine', 'Iode', 'Codéine', 'Latex', 'Céphalosporines'];
const REACTIONS = ['Urticaire', 'Œdème de Quincke', 'Éruption cutanée', 'Troubles digestifs', 'Bronchospasme', ''];
const CONDITIONS: readonly [string, boolean][] = [
  ['Diabète de type 2', true],
  ['Hypertension artérielle', false],
  ['Insuffisance cardiaque', true],
  ['Asthme', false],
  ['Hypothyroïdie', false],
  ['Fibrillation atriale', true],
  ['Insuffisance rénale chronique', true],
  ['BPCO', true],
];

/** mulberry32: small, fast, good enough to scatter fake data, and the same for a seed everywhere. */
export function randomFor(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A NIR with a correct key for these traits; `order` makes it unique. */
export function syntheticNir(sex: 'F' | 'M', birthDate: string, dept: string, commune: string, order: number): string {
  const body = `${sex === 'M' ? '1' : '2'}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${dept}${commune}${pad(order, 3)}`;
  return `${body}${pad(nirKey(body), 2)}`;
}

/** `count` fake patients, the same ones for the same seed. */
export function* syntheticPatients(count: number, seed = 1): Generator<PatientData> {
  const random = randomFor(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const usedNirs = new Set<string>();
  for (let i = 0; i < count; i++) {
    const sex = random() < 0.52 ? 'F' : 'M';
    const firstNames = random() < 0.35 ? `${pick(sex === 'F' ? FEMALE : MALE)} ${pick(sex === 'F' ? FEMALE : MALE)}` : pick(sex === 'F' ? FEMALE : MALE);
    const birthName = pick(SURNAMES);
    const usedName = sex === 'F' && random() < 0.25 ? pick(SURNAMES) : '';
    const year = 1930 + Math.floor(random() * 94);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const birthDate = `${year}-${pad(month, 2)}-${pad(day, 2)}`;
    const [dept, commune, postalCode, city] = pick(PLACES);
    let nir: string | null = null;
    if (random() < 0.85) {
      let order = 1 + Math.floor(random() * 999);
      nir = syntheticNir(sex, birthDate, dept, commune, order);
      while (usedNirs.has(nir)) {
        order = (order % 999) + 1;
        nir = syntheticNir(sex, birthDate, dept, commune, order);
      }
      usedNirs.add(nir);
    }
    const measured = `${Math.min(2025, Math.max(year + 1, 2020 + Math.floor(random() * 5)))}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
    const adult = year < 2005;
    const verified = random() < 0.6;
    const [condition, oftenAld] = pick(CONDITIONS);
    yield {
      birthName,
      usedName,
      firstNames,
      sex,
      birthDate,
      birthPlaceCode: `${dept}${commune}`,
      nir,
      identityStatus: verified ? 'verified' : 'provisional',
      identityDocument: verified ? (adult ? 'identity_card' : 'family_record_book') : null,
      address: `${1 + Math.floor(random() * 120)} ${pick(STREETS)}`,
      postalCode,
      city,
      phone: `06 ${pad(Math.floor(random() * 100), 2)} ${pad(Math.floor(random() * 100), 2)} ${pad(Math.floor(random() * 100), 2)} ${pad(Math.floor(random() * 100), 2)}`,
      email: '',
      weight: random() < 0.6 ? { value: adult ? 50 + Math.floor(random() * 50) : 10 + Math.floor(random() * 40), measuredOn: measured } : null,
      height: random() < 0.5 ? { value: adult ? 150 + Math.floor(random() * 40) : 80 + Math.floor(random() * 80), measuredOn: measured } : null,
      creatinineClearance: year < 1960 && random() < 0.4 ? { value: 30 + Math.floor(random() * 60), measuredOn: measured } : null,
      pregnancy: null,
      breastfeeding: null,
      dmpObjection: random() < 0.03 ? { recordedOn: measured } : null,
      dispensingObjection: random() < 0.02 ? { recordedOn: measured } : null,
      allergies: random() < 0.15 ? [{ kind: 'allergy', substance: pick(ALLERGENS), reaction: pick(REACTIONS), code: null }] : [],
      conditions: random() < 0.3 ? [{ label: condition, ald: oftenAld && random() < 0.7 }] : [],
      // Left empty: the random draws stay those of earlier versions (a seed gives the same register).
      treatments: [],
    };
  }
}
