/**
 * Every number a GP reads, written the French way: « 3 563 jours », « 1 463 interactions »
 * (thousands separated by a narrow no-break space, a decimal comma). One formatter for the
 * whole interface, so no screen prints a bare `String(n)`.
 */
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** 1463 → « 1 463 »; 2.5 → « 2,5 ». */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

/** « 1 interaction », « 1 463 interactions »; 0 takes the singular, as in French. */
export function count(value: number, singular: string, plural: string): string {
  return `${formatNumber(value)} ${Math.abs(value) < 2 ? singular : plural}`;
}
