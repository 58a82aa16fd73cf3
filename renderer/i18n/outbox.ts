/** « Envois » (the DMP outbox), its badge in the frame, Réglages → DMP, and the DMP state on a patient's prescriptions. Pure, so it is unit-tested. */
import type { OutboxDestination, OutboxItem, OutboxState } from '../../shared/calls/outbox';
import type { PrescriptionSummary } from '../../shared/calls/prescriptions';
import { formatDateTime, formatTime } from './dates';
import { count, formatNumber } from './numbers';

const SKIPPED_PREFIX = /^\s*non envoyé\s*[—–-]\s*/i;

/** A skipped row's reason without its own « non envoyé — » (the state already says it). */
export const skippedReason = (reason: string | null) => (reason ?? '').replace(SKIPPED_PREFIX, '').trim();

export const outboxFr = {
  title: 'Envois au DMP',
  sandbox: 'Mode bac à sable : l’assertion d’identification (VIHF) n’est pas signée par une carte CPS ; les documents ne partent que vers le DMP de démonstration.',
  noEndpoint: 'Aucun DMP n’est configuré : les documents attendent.',
  noEndpointLink: 'Réglages → DMP',
  endpoint: 'Adresse du DMP',
  countsLabel: 'Envois par état',
  states: {
    pending: 'En attente',
    sending: 'En cours',
    sent: 'Envoyés',
    failed: 'En échec',
    dead: 'Refusés',
    skipped: 'Non envoyés',
    disabled: 'Désactivés',
  } satisfies Record<OutboxState, string>,
  syncing: (done: number, total: number) => `Envoi en cours : ${formatNumber(done)} sur ${formatNumber(total)} ${total < 2 ? 'document' : 'documents'}`,
  percent: (percent: number) => `${formatNumber(Math.round(percent))} %`,
  nextRun: (iso: string) => `Prochain essai à ${formatTime(iso)}`,
  lastError: (message: string) => `Dernière erreur : ${message}`,
  /** The polite announcement of where the outbox stands. */
  live: (attention: number, running: boolean) =>
    running ? `Envoi au DMP en cours. ${attentionText(attention)}` : attentionText(attention),
  filter: { legend: 'Afficher', all: 'Tous', attention: 'À traiter', sent: 'Envoyés' },
  retryAll: 'Réessayer maintenant',
  retrying: 'Nouvel essai…',
  retryAllDone: 'Nouvel essai lancé.',
  retry: 'Réessayer',
  retryRow: (rxId: string) => `Réessayer l’envoi de l’ordonnance ${rxId}`,
  retryRowDone: (rxId: string) => `Envoi de l’ordonnance ${rxId} remis en attente.`,
  caption: 'Documents à envoyer (le plus récent en premier)',
  columns: { rx: 'Ordonnance', patient: 'Patient', destination: 'Destination', action: 'Action', state: 'État', retry: 'Réessayer' },
  destinations: { dmp: 'DMP', cnam: 'Base ordonnance numérique (CNAM)' } satisfies Record<OutboxDestination, string>,
  actions: { submit: 'Dépôt', cancel: 'Retrait (ordonnance annulée)' } satisfies Record<OutboxItem['action'], string>,
  empty: { all: 'Aucun envoi pour l’instant : chaque ordonnance signée y viendra.', attention: 'Rien à traiter.', sent: 'Aucun document envoyé pour l’instant.' },
  /** The badge of « Envois » in the main navigation. */
  badge: (n: number) => `Envois, ${count(n, 'document à traiter', 'documents à traiter')}`,
  settings: {
    title: 'DMP',
    intro: 'Chaque ordonnance signée est déposée dans le Dossier médical partagé du patient (si son identité est vérifiée et qu’il ne s’y oppose pas) ; une ordonnance annulée en est retirée.',
    form: 'Envoi au DMP',
    endpoint: 'Adresse du service DMP (facultatif)',
    endpointHint: 'https://…, ou http://127.0.0.1:PORT/… pour le DMP de démonstration sur ce poste. Vide : rien n’est envoyé, les documents attendent.',
    timeout: 'Délai d’attente d’une requête (secondes)',
    timeoutHint: 'De 1 à 120 secondes. Au-delà, l’envoi est réessayé plus tard.',
    timeoutNotNumber: 'Le délai doit être un nombre de secondes.',
    save: 'Enregistrer les réglages du DMP',
    saved: 'Réglages du DMP enregistrés.',
    none: 'Aucun DMP configuré : les documents attendent.',
  },
} as const;

function attentionText(n: number): string {
  return n === 0 ? 'Aucun document à traiter.' : `${count(n, 'document à traiter', 'documents à traiter')}.`;
}

/** What a row's state says in the table: « envoyé le … », « échec — nouvel essai à 14:05 ; motif : … ». */
export function outboxStateText(item: Pick<OutboxItem, 'state' | 'reason' | 'nextAttemptAt' | 'sentAt'>): string {
  const reason = item.reason?.trim() ?? '';
  switch (item.state) {
    case 'pending':
      return 'en attente';
    case 'sending':
      return 'en cours';
    case 'sent':
      return item.sentAt === null ? 'envoyé' : `envoyé le ${formatDateTime(item.sentAt)}`;
    case 'failed': {
      const next = item.nextAttemptAt === null ? 'échec — nouvel essai à la prochaine synchronisation' : `échec — nouvel essai à ${formatTime(item.nextAttemptAt)}`;
      return reason === '' ? next : `${next} ; motif : ${reason}`;
    }
    case 'dead':
      return reason === '' ? 'refusé' : `refusé : ${reason}`;
    case 'skipped': {
      const why = skippedReason(item.reason);
      return why === '' ? 'non envoyé' : `non envoyé — ${why}`;
    }
    case 'disabled':
      return reason === '' ? 'désactivé' : `désactivé : ${reason}`;
  }
}

type DmpState = NonNullable<PrescriptionSummary['dmp']>;

const submitShort: Record<OutboxState, string> = {
  pending: 'en attente',
  sending: 'envoi en cours',
  sent: 'envoyé',
  failed: 'échec, nouvel essai prévu',
  dead: 'refusé',
  skipped: 'non envoyé',
  disabled: 'désactivé',
};

const cancelShort: Record<OutboxState, string> = {
  pending: 'retrait en attente',
  sending: 'retrait en cours',
  sent: 'retiré',
  failed: 'échec du retrait, nouvel essai prévu',
  dead: 'retrait refusé',
  skipped: 'non envoyé',
  disabled: 'désactivé',
};

/** A prescription's DMP state in the patient's list: « DMP : envoyé », « DMP : non envoyé (opposition du patient) ». */
export function dmpShortText(dmp: DmpState): string {
  const base = (dmp.action === 'cancel' ? cancelShort : submitShort)[dmp.state];
  if (dmp.state === 'skipped') {
    const why = skippedReason(dmp.reason);
    return why === '' ? `DMP : ${base}` : `DMP : ${base} (${why})`;
  }
  return `DMP : ${base}`;
}
