/**
 * French rendering of a prescription line: « amoxicilline 500 mg, gélule — 2 gélules matin et
 * soir pendant 7 jours ». Pure; the service stores what it returns with each line.
 */
import type { Duration, FrozenDrug, Line, Posology } from './prescription';
import { frenchNumber } from './numbers';

const plurals: Record<string, string> = { ml: 'ml', mg: 'mg', g: 'g', UI: 'UI', 'cuillère-mesure': 'cuillères-mesure' };

/** « 1 gélule », « 2 gélules », « ½ comprimé », « 1 comprimé ½ », « 2,5 ml ». */
export function quantityText(value: number, unit: string): string {
  const whole = Math.floor(value);
  const rest = Math.round((value - whole) * 1000) / 1000;
  const fraction = rest === 0.5 ? '½' : rest === 0.25 ? '¼' : rest === 0.75 ? '¾' : null;
  const counted = !(unit in plurals) || unit === 'cuillère-mesure';
  const plural = value >= 2 ? (plurals[unit] ?? `${unit}s`) : unit;
  if (counted && fraction !== null) return whole === 0 ? `${fraction} ${unit}` : `${whole} ${plural} ${fraction}`;
  return `${frenchNumber(value)} ${plural}`;
}

const momentText = (moments: readonly string[]) => {
  if (moments.length === 1) return moments[0] === 'coucher' ? 'au coucher' : `le ${moments[0]!}`;
  const words = moments.map((m) => (m === 'coucher' ? 'au coucher' : m));
  return `${words.slice(0, -1).join(', ')} et ${words[words.length - 1]!}`;
};

export function renderPosology(p: Posology): string {
  const parts = [quantityText(p.dose, p.unit)];
  if (p.moments.length > 0 && p.frequency.kind === 'perDay' && p.frequency.times === p.moments.length) parts.push(momentText(p.moments));
  else if (p.frequency.kind === 'perDay') parts.push(p.frequency.times === 1 ? 'par jour' : `${p.frequency.times} fois par jour`);
  else if (p.frequency.kind === 'perWeek') parts.push(p.frequency.times === 1 ? 'par semaine' : `${p.frequency.times} fois par semaine`);
  else parts.push(`toutes les ${p.frequency.hours} heures`);
  if (p.asNeeded) parts.push(p.maxPer24h === null ? 'si besoin' : `si besoin, au maximum ${frenchNumber(p.maxPer24h)} par 24 heures`);
  if (p.route !== null && p.route !== '' && p.route !== 'orale') parts.push(`voie ${p.route}`);
  return parts.join(' ');
}

const unitWords: Record<Duration['unit'], [string, string]> = { days: ['jour', 'jours'], weeks: ['semaine', 'semaines'], months: ['mois', 'mois'] };

export function renderDuration(d: Duration): string {
  const [one, many] = unitWords[d.unit];
  return `pendant ${d.value} ${d.value === 1 ? one : many}`;
}

export function renderLine(line: Line, drug: FrozenDrug | null): string {
  const head = line.kind === 'free' ? line.text : `${drug?.dciLabel ?? ''}${line.showBrand && drug !== null ? ` (${drug.brand})` : ''}`;
  const tail: string[] = [];
  if (line.posology !== null) tail.push(renderPosology(line.posology));
  if (line.duration !== null) tail.push(renderDuration(line.duration));
  let text = tail.length > 0 ? `${head} — ${tail.join(' ')}` : head;
  if (line.duration === null && line.packs !== null) text += line.packs === 1 ? ', 1 boîte' : `, ${line.packs} boîtes`;
  if (line.renewals > 0) text += `, à renouveler ${line.renewals} fois`;
  if (line.nonSubstitution !== null) text += `. Non substituable (${line.nonSubstitution})`;
  if (line.instructions !== '') text += `. ${line.instructions}`;
  return text;
}
