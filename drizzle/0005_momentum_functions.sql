-- The standard normal CDF with erf from Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7):
-- the same formula as src/domain/momentum/normal.ts, so SQL and TypeScript scores agree, and
-- it needs no erf() (PostgreSQL 16+ only). Beyond |z| = 8, Φ is 0 or 1 to double precision, and
-- exp() would raise an underflow error instead of returning 0.
CREATE OR REPLACE FUNCTION fanpulse_norm_cdf(z double precision) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE WHEN z > 8 THEN 1 WHEN z < -8 THEN 0 WHEN z >= 0 THEN (1 + e) / 2 ELSE (1 - e) / 2 END
  FROM (SELECT 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * exp(-x * x) AS e
        FROM (SELECT 1 / (1 + 0.3275911 * x) AS t, x FROM (SELECT abs(z) / sqrt(2) AS x) a) b) c
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION fanpulse_momentum_category(z double precision) RETURNS momentum_category
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE WHEN z >= 3 THEN 'explosive' WHEN z >= 1.5 THEN 'high' WHEN z >= 0.5 THEN 'growing'
              WHEN z > -0.5 THEN 'steady' ELSE 'declining' END::momentum_category
$$;
