-- The same formulas as 0005, in PL/pgSQL: the SQL versions were not inlined (nested sub-selects,
-- STRICT on a non-strict body), so each call ran as a query of its own, about 20 µs: 2 of the
-- 4 seconds of a 100,000-artist population. A PL/pgSQL expression costs about 1 µs.
CREATE OR REPLACE FUNCTION fanpulse_norm_cdf(z double precision) RETURNS double precision
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  x double precision;
  t double precision;
  e double precision;
BEGIN
  -- Beyond |z| = 8, Φ is 0 or 1 to double precision, and exp() would raise an underflow error.
  IF z > 8 THEN RETURN 1; ELSIF z < -8 THEN RETURN 0; END IF;
  x := abs(z) / sqrt(2::double precision);
  t := 1 / (1 + 0.3275911 * x);
  e := 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * exp(-x * x);
  RETURN CASE WHEN z >= 0 THEN (1 + e) / 2 ELSE (1 - e) / 2 END;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION fanpulse_momentum_category(z double precision) RETURNS momentum_category
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
BEGIN
  RETURN CASE WHEN z >= 3 THEN 'explosive' WHEN z >= 1.5 THEN 'high' WHEN z >= 0.5 THEN 'growing'
              WHEN z > -0.5 THEN 'steady' ELSE 'declining' END::momentum_category;
END $$;
