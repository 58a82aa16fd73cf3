/** Dates and prices as a French GP reads them. */

/** An ISO instant in the GP's local time: "25/11/2026 à 10:42". */
export function frenchDateTime(iso: string | null): string | null {
  if (iso === null) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const day = date.toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
  const time = date.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });
  return `${day} à ${time}`;
}

/** 287 → "2,87". */
export function euros(cents: number): string {
  return (cents / 100).toFixed(2).replace('.', ',');
}
