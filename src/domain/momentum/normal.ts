/**
 * The standard normal CDF, Φ(z) = (1 + erf(z / √2)) / 2, with erf from Abramowitz & Stegun
 * 7.1.26 (absolute error under 1.5e-7, far below the score's one decimal). The SQL function
 * fanpulse_norm_cdf uses the same formula and the same cut-off at |z| > 8, so scores computed in
 * either place agree.
 */
export function normalCdf(z: number): number {
  if (z > 8) return 1;
  if (z < -8) return 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
