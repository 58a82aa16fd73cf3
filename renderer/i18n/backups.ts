/** Réglages → Sauvegardes and the « base endommagée » screen. */
import type { BackupKind } from '../../shared/calls/backup';
import { formatNumber } from './numbers';

/** « 128 Ko », « 3,4 Mo ». */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} Ko`;
  if (bytes < 1024 * 1024 * 1024) return `${formatNumber(bytes / (1024 * 1024), 1)} Mo`;
  return `${formatNumber(bytes / (1024 * 1024 * 1024), 1)} Go`;
}

export const backupsFr = {
  title: 'Sauvegardes',
  intro:
    'Ordo sauvegarde la base de données chaque jour (au démarrage si la sauvegarde du jour manque, puis chaque jour tant qu’il est ouvert). Il garde les 7 dernières sauvegardes quotidiennes et une par semaine pendant 4 semaines, chacune vérifiée après écriture. Copiez régulièrement ce dossier sur un autre support (clé USB, disque du cabinet) : sur ce seul ordinateur, il ne protège pas d’une panne du disque.',
  last: 'Dernière sauvegarde',
  lastValue: (date: string, size: string) => `${date} (${size})`,
  none: 'aucune',
  folder: 'Dossier des sauvegardes',
  failure: (date: string, message: string) => `La sauvegarde du ${date} a échoué : ${message}`,
  create: 'Sauvegarder maintenant',
  creating: 'Sauvegarde en cours…',
  created: (name: string) => `Sauvegarde « ${name} » faite et vérifiée.`,
  listCaption: 'Sauvegardes disponibles (la plus récente en premier)',
  columns: { date: 'Date', kind: 'Type', size: 'Taille', check: 'Vérification', action: 'Action' },
  kinds: {
    daily: 'quotidienne',
    weekly: 'hebdomadaire',
    manual: 'manuelle',
    'before-restore': 'avant restauration',
  } satisfies Record<BackupKind, string>,
  check: { ok: 'vérifiée', unchecked: 'non vérifiée' },
  empty: 'Aucune sauvegarde pour l’instant.',
  restore: 'Restaurer…',
  restoreLabel: (date: string, kind: string) => `Restaurer la sauvegarde ${kind} du ${date}`,
  confirm: {
    title: 'Restaurer cette sauvegarde ?',
    body: (date: string) =>
      `La base de données sera remplacée par la sauvegarde du ${date}. Ce qui a été saisi depuis (patients, modifications) n’y sera plus. La base actuelle est d’abord conservée dans le dossier des sauvegardes (« avant restauration ») : rien n’est effacé.`,
    confirm: 'Restaurer',
    cancel: 'Annuler',
    running: 'Restauration en cours…',
  },
  restored: (name: string, aside: string | null) =>
    `Sauvegarde « ${name} » restaurée.${aside === null ? '' : ` La base précédente est conservée : « ${aside} ».`}`,
  damaged: {
    title: 'La base de données est endommagée',
    intro:
      'Ordo n’a pas pu ouvrir la base de données du cabinet. Rien n’a été modifié. Restaurez la sauvegarde la plus récente ci-dessous : la base endommagée sera conservée à part.',
    problem: 'Problème constaté',
    diagnosis: 'Diagnostic',
    diagnosing: 'Diagnostic en cours…',
    dataDir: 'Dossier des données',
    folder: 'Dossier des sauvegardes',
    noBackup:
      'Aucune sauvegarde dans ce dossier. Si vous avez copié des sauvegardes ailleurs, remettez-en une dans le dossier des sauvegardes puis relancez Ordo, ou utilisez « ordo restore FICHIER ».',
    help: 'Besoin d’aide : communiquez ce diagnostic à votre support informatique.',
  },
} as const;
