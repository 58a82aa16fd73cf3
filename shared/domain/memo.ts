/**
 * A pure function of a string, remembered: the checks run at every keystroke over the same few
 * substance names and allergy texts, and the import over the same few thousand. Bounded: when
 * full, the memo starts again (never grows without end in a long-running main process).
 */
export const MEMO_MAX = 20_000;

export function memoized<V>(compute: (key: string) => V, memo: Map<string, V> = new Map()): (key: string) => V {
  return (key) => {
    if (memo.has(key)) return memo.get(key)!;
    const value = compute(key);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(key, value);
    return value;
  };
}
