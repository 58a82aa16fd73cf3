/**
 * Distinct synthetic names for bulk tests: an identity trait has no digits (DOMAIN.md §3), so a
 * row number is written in letters (0 → « a », 25 → « z », 26 → « aa »…), bijective base 26.
 */
export function letterCode(n: number): string {
  let s = '';
  for (let i = n; ; i = Math.floor(i / 26) - 1) {
    s = String.fromCharCode(97 + (i % 26)) + s;
    if (i < 26) return s;
  }
}
