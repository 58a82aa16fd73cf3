/**
 * Where the date of an installed drug referential comes from, in the words the GP reads on
 * Réglages, on Prescrire and in the CLI. The date decides the « plus de 60 jours » warning, so
 * the GP is told how far to trust it.
 */
export const releaseDateSources = ['declared', 'server', 'content', 'unknown'] as const;
export type ReleaseDateSource = (typeof releaseDateSources)[number];

export const releaseDateSourceLabels: Readonly<Record<ReleaseDateSource, string>> = {
  declared: 'date déclarée à l’import',
  server: 'date du serveur',
  content: 'date la plus récente des fichiers',
  unknown: 'inconnue',
};
