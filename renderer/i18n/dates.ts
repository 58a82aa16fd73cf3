const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });

/** « 2 décembre 2026 à 09:30 », in the GP's time zone. */
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
