-- Takes one call slot of a provider's rolling window, for every worker process at once: the
-- advisory lock serialises takers of one platform, the log of recent calls is the window.
-- Returns NULL when the slot is granted, else how long to wait before asking again.
CREATE OR REPLACE FUNCTION fanpulse_take_rate_slot(p_platform platform, p_max_calls int, p_window interval)
  RETURNS interval LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := clock_timestamp();
  v_count int;
  v_oldest timestamptz;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('fanpulse_rate:' || p_platform::text));
  DELETE FROM provider_calls WHERE platform = p_platform AND called_at <= v_now - p_window;
  SELECT count(*), min(called_at) INTO v_count, v_oldest FROM provider_calls WHERE platform = p_platform;
  IF v_count >= p_max_calls THEN
    RETURN v_oldest + p_window - v_now;
  END IF;
  INSERT INTO provider_calls (platform, called_at) VALUES (p_platform, v_now);
  RETURN NULL;
END $$;
