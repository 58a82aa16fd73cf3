/** Every string a GP reads in the interface, in one place. */
import { drugsFr } from './drugs';
import { interactionsFr } from './interactions';
import { formatNumber } from './numbers';
import { outboxFr } from './outbox';
import { patientsFr } from './patients';
import { prescriptionsFr } from './prescriptions';

export const fr = {
  appName: 'Ordo',
  loading: 'Chargement…',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  saved: 'Enregistré.',
  retry: 'Réessayer',
  skipToContent: 'Aller au contenu',
  /** The file chooser of renderer/components/FileField.tsx. */
  file: { choose: 'Choisir un fichier…', none: 'Aucun fichier choisi' },
  nav: {
    label: 'Navigation principale',
    patients: 'Patients',
    prescribe: 'Prescrire',
    verify: 'Vérifier',
    outbox: 'Envois',
    settings: 'Réglages',
  },
  firstRun: {
    title: 'Bienvenue dans Ordo',
    intro:
      'Avant votre première ordonnance, renseignez votre identité de prescripteur. Ces informations figureront sur chaque ordonnance.',
    submit: 'Enregistrer et commencer',
  },
  profile: {
    legend: 'Identité du prescripteur',
    practiceLegend: 'Cabinet',
    fields: {
      lastName: 'Nom',
      firstName: 'Prénom',
      specialty: 'Spécialité',
      rpps: 'Numéro RPPS (11 chiffres)',
      amNumber: 'Numéro Assurance Maladie (9 chiffres)',
      practiceName: 'Nom du cabinet (facultatif)',
      address: 'Adresse',
      postalCode: 'Code postal',
      city: 'Ville',
      phone: 'Téléphone',
      email: 'Adresse e-mail',
    },
    errorSummary: 'Le profil n’a pas été enregistré. Corrigez les champs signalés :',
  },
  patients: patientsFr,
  drugs: drugsFr,
  prescriptions: prescriptionsFr,
  interactions: interactionsFr,
  outbox: outboxFr,
  settings: {
    title: 'Réglages',
    profileTitle: 'Profil du prescripteur',
    about: 'À propos',
    version: 'Version',
    dataDir: 'Dossier des données',
  },
  screens: {
    prescribe: {
      title: 'Prescrire',
      coming: 'Ici viendra la rédaction de l’ordonnance : médicaments en DCI, posologie, durée, contrôles de sécurité, signature.',
    },
  },
  errorBoundary: {
    appTitle: 'Ordo a rencontré un problème d’affichage',
    screenTitle: 'Cet écran n’a pas pu s’afficher',
    body: 'Vos données enregistrées ne sont pas touchées. Rechargez l’affichage ; si le problème revient, ouvrez Réglages → Diagnostic.',
    reload: 'Recharger',
    retry: 'Réessayer',
  },
  dismiss: 'Fermer ce message',
  diagnostic: {
    title: 'Diagnostic',
    intro: 'Vérifie la base de données (intégrité, version, journal d’audit), les tâches et les bases de référence, sans rien modifier.',
    run: 'Lancer le diagnostic',
    running: 'Diagnostic en cours…',
    ok: 'Aucun problème détecté.',
    problems: 'Problèmes détectés :',
    warnings: 'À savoir (inscrit au journal d’audit, ne se corrige pas) :',
    integrity: 'Intégrité de la base',
    integrityOk: 'intacte',
    integrityDamaged: 'endommagée',
    unknown: 'inconnue',
    schema: 'Version du schéma',
    schemaValue: (db: number | null, app: number) => `${db === null ? 'inconnue' : formatNumber(db)} (Ordo connaît la version ${formatNumber(app)})`,
    pending: 'Migrations en attente',
    pendingValue: (n: number) => `${formatNumber(n)} (appliquée${n < 2 ? '' : 's'} au prochain démarrage d’Ordo)`,
    audit: 'Journal d’audit',
    auditValue: (ok: boolean, entries: number) => `${ok ? 'intact' : 'modifié'} (${formatNumber(entries)} ${entries < 2 ? 'entrée' : 'entrées'})`,
    auditLegacy: (legacy: number) => `, dont ${formatNumber(legacy)} ${legacy < 2 ? 'antérieure' : 'antérieures'} à la clé (vérifiées par l’ancre)`,
    auditKey: 'Clé du journal d’audit',
    auditKeyState: { ok: 'présente (dossier « keys » des données)', missing: 'absente', unreadable: 'illisible', none: 'pas encore créée (au prochain démarrage)' },
    anchor: 'Ancre du journal (hors de la base)',
    anchorState: {
      ok: (seq: number) => `à jour (entrée ${formatNumber(seq)})`,
      behind: (seq: number) => `en retard (entrée ${formatNumber(seq)}), les entrées suivantes vérifiées : mise à jour au prochain démarrage`,
      ahead: (seq: number) => `en avance sur la base (entrée ${formatNumber(seq)}) : des entrées ont été supprimées`,
      mismatch: (seq: number) => `ne correspond plus à la base (entrée ${formatNumber(seq)})`,
      missing: () => 'absente',
      invalid: () => 'illisible ou non authentique',
      none: () => 'pas encore créée (au prochain démarrage)',
    },
    schemaCheck: 'Schéma et déclencheurs',
    schemaUnchecked: 'non vérifiés (la base n’a pas pu être lue)',
    schemaCheckValue: (ok: boolean, objects: number, differences: number) =>
      ok ? `conformes à ceux d’Ordo (${formatNumber(objects)} objets)` : `modifiés en dehors d’Ordo (${formatNumber(differences)} ${differences < 2 ? 'différence' : 'différences'})`,
    jobs: 'Tâches',
    jobsValue: (active: number, interrupted: number) =>
      `${formatNumber(active)} en cours${interrupted > 0 ? `, ${formatNumber(interrupted)} ${interrupted < 2 ? 'interrompue (reprise' : 'interrompues (reprises'} au prochain démarrage)` : ''}`,
    referential: 'Bases de référence',
    drugsState: { real: 'médicaments : BDPM importée', demo: 'médicaments : démonstration', none: 'médicaments : aucune', unreadable: 'médicaments : illisible' },
    interactionsState: { installed: 'thésaurus des interactions : installé', none: 'thésaurus des interactions : aucun', unreadable: 'thésaurus des interactions : illisible' },
    none: 'aucune',
  },
  errors: {
    unreachable: 'Ordo ne répond pas. Vérifiez que l’application est lancée.',
    noToken: 'Session absente : ouvrez l’adresse affichée par « ordo serve ».',
  },
} as const;
