import { fileOfPart, partialLine, type ReferentialPart } from '../../shared/domain/bdpm-parts';
import { drugFlagLabels, STALE_AFTER_DAYS } from '../../shared/domain/drugs';
import { releaseDateSourceLabels } from '../../shared/domain/release-date';
import { count, formatNumber } from './numbers';

/** What the GP reads about the drug database: search, flags, status, update. */
export const drugsFr = {
  prescribeTitle: 'Prescrire',
  consultTitle: 'Consulter un médicament',
  consultHint: 'Sans ordonnance en cours : la fiche d’un médicament, ses conditions et ses interactions.',
  searchLabel: 'Rechercher un médicament',
  searchHint: 'Nom commercial, DCI (début de mot, ex. « amox 500 »), code CIP13, CIP7 ou CIS.',
  resultsLabel: 'Médicaments trouvés',
  typeToSearch: 'Tapez les premières lettres d’un médicament.',
  noMatch: (q: string) => `Aucun médicament ne correspond à « ${q} ».`,
  found: (total: number, shown: number) =>
    `${count(total, 'groupe de médicaments trouvé', 'groupes de médicaments trouvés')}${shown < total ? `, ${count(shown, 'affiché', 'affichés')}` : ''}.`,
  /** A group's button, that shows its other matching specialties. */
  moreInGroup: (n: number) => (n === 1 ? '… et 1 autre spécialité' : `… et ${formatNumber(n)} autres spécialités`),
  /** Below the list: the next groups, `step` at most at a time. */
  moreGroups: (n: number, step: number) =>
    n <= step ? (n === 1 ? 'Afficher l’autre groupe' : `Afficher les ${formatNumber(n)} autres groupes`) : `Afficher ${formatNumber(step)} groupes de plus (sur ${formatNumber(n)} autres)`,
  matchedCode: (code: string) => `code ${code}`,
  selected: (name: string) => `Sélectionné : ${name}`,
  flags: drugFlagLabels,
  detail: {
    close: 'Fermer la fiche',
    dci: 'DCI',
    form: 'Forme',
    routes: 'Voie(s)',
    holders: 'Titulaire(s)',
    status: 'Statut',
    conditions: 'Conditions de prescription',
    limit: (days: number) => `Durée de prescription limitée à ${count(days, 'jour', 'jours')}.`,
    composition: 'Composition',
    packs: 'Présentations',
    generics: 'Groupe(s) générique(s)',
    reimbursed: (rate: string) => `remboursé ${rate}`,
    notReimbursed: 'non remboursé',
    price: (euros: string) => `${euros} €`,
    packNotMarketed: 'arrêt de commercialisation',
    none: 'Aucune',
    /** What a partial base cannot say, in place of « Aucune ». */
    missing: (part: ReferentialPart) => `Non disponible : base partielle (fichier ${fileOfPart[part]} absent de la version importée).`,
    missingConditions:
      'Base partielle : les conditions de prescription de cette version manquent, les mentions (liste I, liste II, stupéfiant, prescription hospitalière…) ne sont donc pas signalées. Vérifiez-les avant de prescrire.',
    /** BDPM's nature of a composition row: substance active or fraction thérapeutique. */
    nature: {
      SA: { short: 'SA', long: 'substance active' },
      FT: { short: 'FT', long: 'fraction thérapeutique' },
    },
    natureLegend:
      'SA : substance active, telle qu’elle figure dans le médicament. FT : fraction thérapeutique, la partie de la substance qui agit (par exemple la base sans son sel), dont le dosage est alors indiqué.',
  },
  status: {
    title: 'Base des médicaments',
    demo: 'Données de démonstration — non utilisables pour un patient réel. Mettez à jour la base des médicaments dans Réglages.',
    none: 'Aucune base des médicaments n’est installée : la recherche est impossible. Mettez-la à jour dans Réglages.',
    /** The same warnings on Réglages, where the update is. */
    demoHere: 'Données de démonstration — non utilisables pour un patient réel. Mettez à jour la base des médicaments ci-dessous.',
    noneHere: 'Aucune base des médicaments n’est installée : la recherche est impossible. Mettez-la à jour ci-dessous.',
    stale: (days: number | null) =>
      days === null
        ? 'La date de la base des médicaments est inconnue : mettez-la à jour.'
        : `La base des médicaments a ${count(days, 'jour', 'jours')} (plus de ${formatNumber(STALE_AFTER_DAYS)}) : mettez-la à jour.`,
    release: 'Version de la base',
    imported: 'Importée le',
    source: 'Source',
    counts: 'Contenu',
    countsValue: (s: number, p: number) => `${count(s, 'spécialité', 'spécialités')}, ${count(p, 'présentation', 'présentations')}`,
    missing: 'Fichiers absents de la dernière version',
    /** « Base partielle : compositions absentes. » (Réglages, Prescrire) */
    partial: (parts: readonly ReferentialPart[]) => {
      const line = partialLine(parts);
      return `${line.charAt(0).toUpperCase()}${line.slice(1)}.`;
    },
    rejected: 'Lignes rejetées à l’import',
    releaseSource: releaseDateSourceLabels,
    unknown: 'inconnue',
    demoSource: 'Référentiel de démonstration intégré à Ordo',
    interactions: 'Thésaurus des interactions',
    noInteractions: 'non installé (voir « Thésaurus des interactions » ci-dessous)',
  },
  update: {
    title: 'Base des médicaments (BDPM)',
    button: 'Mettre à jour la base des médicaments',
    running: 'Mise à jour en cours…',
    progressLabel: 'Progression de la mise à jour',
    downloading: (file: string | null) => (file === null ? 'Téléchargement…' : `Téléchargement de ${file}…`),
    importing: (file: string | null) => (file === null ? 'Import…' : `Import de ${file}…`),
    done: (specialties: number, rejected: number) =>
      `Mise à jour terminée : ${count(specialties, 'spécialité importée', 'spécialités importées')}${rejected > 0 ? `, ${count(rejected, 'ligne rejetée', 'lignes rejetées')}` : ''}.`,
    missing: (parts: readonly ReferentialPart[], files: string) => `Importée sans ${files} : ${partialLine(parts)}.`,
    /** An update refused because the server lacks optional files, and the GP's way through. */
    partialRefused: 'Mise à jour non installée :',
    partialWarning:
      'Vous pouvez l’importer quand même : les fiches des médicaments indiqueront « non disponible » pour ce qui manque, et sans les conditions de prescription les mentions liste I, stupéfiant, prescription hospitalière… ne seront pas signalées. Une mise à jour complète la remplacera.',
    partialConfirm: 'Importer quand même (base partielle)',
    failed: 'La mise à jour a échoué :',
    queued: 'Mise à jour en attente…',
    retrying: (at: string, message: string) => `${message} Nouvel essai automatique vers ${at}.`,
    cancel: 'Annuler la mise à jour',
    cancelled: 'Mise à jour annulée : la base précédente est conservée.',
  },
  source: {
    label: 'Adresse de téléchargement',
    hint: (official: string) =>
      `Les fichiers de la base publique des médicaments sont téléchargés depuis cette adresse. L’adresse officielle (ANSM) est ${official} ; un miroir ou un proxy du cabinet peut la remplacer.`,
    save: 'Enregistrer l’adresse',
    reset: 'Rétablir l’adresse officielle',
    saved: 'Adresse de téléchargement enregistrée.',
    restored: 'Adresse officielle rétablie.',
    official: 'Adresse officielle utilisée.',
    overridden: (url: string) =>
      `La variable d’environnement ORDO_BDPM_BASE_URL impose l’adresse ${url} : l’adresse enregistrée ici ne servira que lorsqu’elle ne sera plus définie.`,
  },
} as const;
