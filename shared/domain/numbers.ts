/**
 * Every number a GP reads, written the French way: « 3 563 jours », « 2,5 » (thousands separated
 * by a narrow no-break space, so a number never breaks across lines; a decimal comma). The one
 * formatter of the screens, the CLI, the messages and the printed labels.
 */
const formats = new Map<number, Intl.NumberFormat>();

/** 1463 → « 1 463 »; 2.5 → « 2,5 »; at most `maximumFractionDigits` decimals (3 by default). */
export function frenchNumber(value: number, maximumFractionDigits = 3): string {
  let format = formats.get(maximumFractionDigits);
  if (format === undefined) formats.set(maximumFractionDigits, (format = new Intl.NumberFormat('fr-FR', { maximumFractionDigits })));
  // 12 significant digits: 0.1 + 0.2 is written 0,3.
  return format.format(Number(value.toPrecision(12)));
}

/** « 1 interaction », « 1 463 interactions »; 0 and 1 take the singular, as in French. */
export function frenchCount(value: number, singular: string, plural: string): string {
  return `${frenchNumber(value)} ${Math.abs(value) < 2 ? singular : plural}`;
}
