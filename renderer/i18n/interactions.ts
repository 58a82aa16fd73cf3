import type { InteractionLevel } from '../../shared/calls/drugs';
import { count, formatNumber } from './numbers';

/** The ANSM's names of its four levels, most severe first. */
export const interactionLevelNames: Record<InteractionLevel, string> = {
  CI: 'Contre-indication',
  AD: 'Association déconseillée',
  PE: 'Précaution d’emploi',
  PC: 'À prendre en compte',
};

/** What the GP reads about the interaction thesaurus: Réglages and the drug card. */
export const interactionsFr = {
  /** « Thésaurus des interactions ANSM, 2016 — 1 463 interactions » */
  label: (edition: string | null, rules: number) => `Thésaurus des interactions ANSM${edition === null ? '' : `, ${edition}`} — ${count(rules, 'interaction', 'interactions')}`,
  contents: (rules: number, molecules: number, classes: number) =>
    `${count(rules, 'interaction', 'interactions')}, ${count(molecules, 'substance', 'substances')}, ${count(classes, 'classe', 'classes')}`,
  levels: interactionLevelNames,
  settings: {
    title: 'Thésaurus des interactions (ANSM)',
    intro:
      'Le thésaurus des interactions médicamenteuses de l’ANSM, sous forme de tables : un dossier ou un fichier .zip contenant thesaurus.tsv, molecule-classes.tsv et molecules.txt. Les fiches des médicaments affichent ensuite leurs interactions.',
    installed: 'Installé',
    importedAt: 'Installé le',
    contents: 'Contenu',
    none: 'Aucun thésaurus des interactions n’est installé : les fiches des médicaments n’affichent pas d’interactions.',
    uploadLegend: 'Depuis le fichier .zip du thésaurus',
    fileLabel: 'Fichier .zip du thésaurus',
    uploadButton: 'Installer depuis ce fichier',
    noFile: 'Choisissez d’abord le fichier .zip du thésaurus.',
    tooLarge: 'Ce fichier est trop volumineux pour être le thésaurus (5 Mo au plus) : indiquez plutôt son chemin sur ce poste.',
    pathLegend: 'Ou depuis un dossier ou un fichier .zip de cet ordinateur',
    pathLabel: 'Chemin du dossier ou du fichier .zip',
    pathHint: 'Chemin complet sur cet ordinateur, par exemple /home/medecin/Téléchargements/ansm-interactions-2016 ou C:\\Thesaurus\\ansm-interactions-2016.zip.',
    pathButton: 'Installer depuis ce chemin',
    reading: 'Lecture du fichier…',
    progressLabel: 'Progression de l’installation',
    queued: 'Installation en attente…',
    phase: {
      reading: 'Lecture des tables du thésaurus…',
      rules: (done: number, total: number) => `Lecture des interactions : ${formatNumber(done)} sur ${formatNumber(total)}`,
      matching: 'Rapprochement des substances avec la base des médicaments…',
    },
    percent: (p: number) => `${formatNumber(p)} %`,
    cancel: 'Annuler l’installation',
    done: (rules: number, molecules: number, classes: number) =>
      `Thésaurus installé : ${count(rules, 'interaction', 'interactions')}, ${count(molecules, 'substance', 'substances')}, ${count(classes, 'classe', 'classes')}.`,
    unmatched: (n: number, demo: boolean) =>
      n === 0
        ? 'Toutes les substances du thésaurus ont leur correspondance dans la base des médicaments.'
        : `${count(n, 'substance', 'substances')} du thésaurus sans correspondance dans la base des médicaments${demo ? ' de démonstration (elle en contient peu)' : ''}.`,
    rejected: (n: number) => `${count(n, 'ligne illisible ignorée', 'lignes illisibles ignorées')}.`,
    failed: 'L’installation a échoué :',
  },
  card: {
    title: 'Interactions',
    none: 'Aucun thésaurus des interactions n’est installé : les interactions de ce médicament ne peuvent pas être affichées. Installez-le dans Réglages.',
    empty: 'Le thésaurus ne mentionne aucune interaction pour les substances de ce médicament.',
    source: (label: string) => `Source : ${label}`,
    levelCount: (n: number) => count(n, 'interaction', 'interactions'),
    with: 'Avec',
    via: 'Par',
    risk: 'Risque',
    advice: 'Conduite à tenir',
    alsoLevels: (names: string) => `Selon les cas : ${names}.`,
    kinds: { substance: 'substance', class: 'classe de substances', other: 'autre' },
  },
} as const;
