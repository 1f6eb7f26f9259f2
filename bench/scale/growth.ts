/** How time grows with the workload: the exponent k of time ∝ fingerprints^k, fitted on log–log. Pure. */

export interface Point {
  readonly fingerprints: number;
  readonly seconds: number;
}

/** Least-squares slope of log(seconds) over log(fingerprints); null with fewer than two distinct sizes. */
export function fittedExponent(points: readonly Point[]): number | null {
  const usable = points.filter((p) => p.fingerprints > 0 && p.seconds > 0);
  const xs = usable.map((p) => Math.log(p.fingerprints));
  const ys = usable.map((p) => Math.log(p.seconds));
  const n = usable.length;
  if (n < 2) return null;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += ((xs[i] as number) - meanX) ** 2;
    sxy += ((xs[i] as number) - meanX) * ((ys[i] as number) - meanY);
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** The exponent between the two largest workloads alone (where the growth shows best). */
export function largestPairExponent(points: readonly Point[]): number | null {
  const sorted = [...points].filter((p) => p.fingerprints > 0 && p.seconds > 0).sort((a, b) => a.fingerprints - b.fingerprints);
  return fittedExponent(sorted.slice(-2));
}
