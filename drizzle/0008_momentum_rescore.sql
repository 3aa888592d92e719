-- Momentum v1 scored before this release gave a tier of fewer than 20 artists a standard
-- deviation of 0.001 instead of falling back to every artist's (PostgreSQL's greatest() ignores
-- NULL), so its scores cannot be kept. They are removed with the statistics they were computed
-- with, and the days they covered are scored again by a job, once the worker runs.
DO $$
DECLARE
  v_from date;
  v_to date;
BEGIN
  SELECT min(day), max(day) INTO v_from, v_to FROM artist_momentum WHERE model_version = 'v1';
  -- Every stored score must now say which peers it was compared with: none of these does.
  DELETE FROM artist_momentum;
  DELETE FROM momentum_tier_stats;
  IF v_from IS NOT NULL AND to_regprocedure('graphile_worker.add_job(text,json,text,timestamp with time zone,integer,text,integer,text[],text)') IS NOT NULL THEN
    PERFORM graphile_worker.add_job('momentum:score-past-days', json_build_object('from', v_from, 'to', v_to));
  END IF;
END $$;
