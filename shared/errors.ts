/**
 * The closed set of error codes a contract call can return, each with the French message a GP
 * reads. Adapters never let anything else (a stack trace, an SQLite message) cross the boundary.
 */
export const errorMessages = {
  INVALID_INPUT: 'Certaines informations sont invalides. Corrigez les champs signalés.',
  UNKNOWN_CALL: "Cette action n’existe pas dans cette version d’Ordo.",
  UNAUTHORIZED: "Accès refusé : cette session n’est pas autorisée.",
  FORBIDDEN: 'Cette fenêtre ne peut pas effectuer cette action.',
  NOT_FOUND: "L’élément demandé est introuvable.",
  CONFLICT: 'Cette modification entre en conflit avec des données existantes.',
  NEEDS_CONFIRMATION: 'Une confirmation est nécessaire avant de continuer.',
  DATABASE_TOO_NEW:
    "Cette base de données a été créée par une version plus récente d’Ordo. Mettez Ordo à jour pour l’ouvrir.",
  DATABASE_ERROR: "La base de données n’a pas pu être lue ou écrite.",
  IMPORT_FAILED: "L’import a échoué. Les données précédentes sont conservées.",
  NETWORK_ERROR: 'Le serveur distant est injoignable. Réessayez plus tard.',
  CANCELLED: 'Action annulée à votre demande.',
  INTERRUPTED: "Interrompu par l’arrêt inattendu d’Ordo.",
  SERVICE_RESTARTED:
    "Le service interne d’Ordo s’est arrêté pendant cette action et a redémarré : elle n’a peut-être pas abouti. Vérifiez puis réessayez.",
  SERVICE_UNAVAILABLE: "Le service interne d’Ordo ne répond pas. Réessayez dans un instant ; si cela persiste, redémarrez Ordo.",
  KEY_UNAVAILABLE: 'La clé de signature ne peut pas être ouverte : vérifiez la phrase de passe, ou restaurez le dossier des clés depuis une sauvegarde.',
  INTERNAL: "Une erreur inattendue s’est produite. Réessayez ; si elle persiste, ouvrez Réglages → Diagnostic.",
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof errorMessages;

export const errorCodes = Object.keys(errorMessages) as ErrorCode[];

/** Field path (dot separated) → French message, for forms. */
export type FieldErrors = Record<string, string>;

export interface OrdoErrorPayload {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: OrdoErrorPayload };

/** Thrown inside a process; turned into a result envelope at the boundary. */
export class OrdoError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;

  constructor(code: ErrorCode, message?: string, fields?: FieldErrors) {
    super(message ?? errorMessages[code]);
    this.name = 'OrdoError';
    this.code = code;
    this.fields = fields;
  }

  toPayload(): OrdoErrorPayload {
    return this.fields === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, fields: this.fields };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorMessages, value);
}
