/** Every string a GP reads in the interface, in one place. */
import { drugsFr } from './drugs';
import { patientsFr } from './patients';

export const fr = {
  appName: 'Ordo',
  loading: 'Chargement…',
  save: 'Enregistrer',
  saving: 'Enregistrement…',
  saved: 'Enregistré.',
  retry: 'Réessayer',
  skipToContent: 'Aller au contenu',
  nav: {
    label: 'Navigation principale',
    patients: 'Patients',
    prescribe: 'Prescrire',
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
    outbox: {
      title: 'Envois',
      coming: 'Ici viendra la file des envois au DMP : documents en attente, envoyés, refusés, avec leur motif.',
    },
  },
  errors: {
    unreachable: 'Ordo ne répond pas. Vérifiez que l’application est lancée.',
    noToken: 'Session absente : ouvrez l’adresse affichée par « ordo serve ».',
  },
} as const;
