/** A small seeded PRNG (mulberry32): the same seed gives the same data and the same faults. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A stable id from a prefix and a number: `grp_000042`. */
export function serialId(prefix: string, n: number, width = 6): string {
  return `${prefix}_${String(n).padStart(width, '0')}`;
}
