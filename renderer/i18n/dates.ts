const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });

/** « 2 décembre 2026 à 09:30 », in the GP's time zone. */
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));

const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' });

/** « 09:30 », in the GP's time zone. */
export const formatTime = (iso: string) => time.format(new Date(iso));
