/**
 * The geometry of a trend sparkline: snapshot values → an SVG polyline in a small box,
 * with the target as a reference line when it falls in range. Pure; the component only
 * draws what this returns.
 *
 * @example
 * sparklinePoints([1.67, 3, 4.5], { width: 80, height: 24, target: 4.5 });
 */

export interface SparklineGeometry {
  /** `x,y x,y …` for <polyline points>, one per non-null value. */
  points: string;
  /** The last point, to mark it. */
  last: [number, number] | null;
  /** y of the target line, when the target is given. */
  targetY: number | null;
}

export function sparklinePoints(
  values: readonly (number | null)[],
  o: { width: number; height: number; target?: number | null; padding?: number },
): SparklineGeometry {
  const pad = o.padding ?? 2;
  const known = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  if (!known.length) return { points: '', last: null, targetY: null };
  const ys = known.map((p) => p[1]);
  const withTarget = o.target !== undefined && o.target !== null ? [...ys, o.target] : ys;
  let min = Math.min(...withTarget);
  let max = Math.max(...withTarget);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const n = values.length;
  const x = (i: number) => (n === 1 ? o.width / 2 : pad + (i * (o.width - 2 * pad)) / (n - 1));
  const y = (v: number) => o.height - pad - ((v - min) * (o.height - 2 * pad)) / (max - min);
  const r = (v: number) => Math.round(v * 10) / 10;
  const pts = known.map(([i, v]) => [r(x(i)), r(y(v))] as [number, number]);
  return {
    points: pts.map(([a, b]) => `${a},${b}`).join(' '),
    last: pts[pts.length - 1],
    targetY: o.target !== undefined && o.target !== null ? r(y(o.target)) : null,
  };
}
