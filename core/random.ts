/**
 * Seeded randomness, so that synthetic data and property tests are reproducible
 * (the Placemark habit: "seeded randomness in tests"). Never use `Math.random` for data.
 *
 * The generator is mulberry32 (Tommy Ettinger, public domain): a 32-bit state, a period
 * of 2^32 and good enough statistical quality for sampling demo data; it is not
 * cryptographic.
 *
 * @example
 * const rng = createRng(42);
 * rng.next();          // a float in [0, 1)
 * rng.int(1, 6);       // a die roll
 * rng.normal(0, 1);    // a standard normal draw
 */

/** A seeded pseudo-random source. Each call advances its own private state only. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** Normal draw (Box–Muller) with the given mean and standard deviation. */
  normal(mean: number, sd: number): number;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** An index into `weights`, with probability proportional to each weight (all ≥ 0, sum > 0). */
  weightedIndex(weights: readonly number[]): number;
  /** A new, independent generator derived from this one's next output (for sub-streams). */
  fork(): Rng;
}

/** The mulberry32 step: returns the next float in [0, 1) for a 32-bit state closure. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit seed from a string (FNV-1a, then MurmurHash3's fmix32 finaliser so that
 * similar keys give unrelated seeds: plain FNV of '…:500101:nursery' and '…:500102:nursery'
 * differ in few bits, and mulberry32's first outputs for such seeds were visibly
 * correlated). Sub-streams keyed by name (`createRng(seedFromString('500103:kindergarten'))`)
 * stay stable when other districts or categories are added.
 */
export function seedFromString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded {@link Rng}. The same seed always gives the same sequence. */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  let spare: number | null = null;
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uniform: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    normal(mean, sd) {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return mean + sd * z;
      }
      // 1 - next() is in (0, 1], so the log is finite
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty array');
      return items[Math.floor(next() * items.length)];
    },
    weightedIndex(weights) {
      let total = 0;
      for (const w of weights) total += w;
      if (!(total > 0)) throw new Error('weights must sum to more than 0');
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    fork: () => createRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}
