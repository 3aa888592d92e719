-- Spends one use of a rolling-window budget, for every process at once: the advisory lock
-- serialises the spenders of one key, so its check and its count are one step. Returns NULL when
-- the use is granted, else how long until the oldest use leaves the window.
DROP FUNCTION IF EXISTS fanpulse_take_rate_slot(platform, int, interval);--> statement-breakpoint
CREATE FUNCTION fanpulse_spend_budget(p_key text, p_max int, p_window interval)
  RETURNS interval LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := clock_timestamp();
  v_count int;
  v_oldest timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('fanpulse_budget:' || p_key));
  DELETE FROM budget_uses WHERE key = p_key AND used_at <= v_now - p_window;
  SELECT count(*), min(used_at) INTO v_count, v_oldest FROM budget_uses WHERE key = p_key;
  IF v_count >= p_max THEN
    RETURN v_oldest + p_window - v_now;
  END IF;
  INSERT INTO budget_uses (key, used_at) VALUES (p_key, v_now);
  RETURN NULL;
END $$;
