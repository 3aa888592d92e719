-- Legacy imports kept emails with the spaces around them, which sign-in (trimming what it is
-- given) could never match. Each is trimmed, unless the trimmed email is someone else's already:
-- the older of two such accounts gets it, and the rest stay as they are, to be resolved by hand.
WITH untrimmed AS (
  SELECT id, created_at, regexp_replace(email, '^\s+|\s+$', '', 'g') AS trimmed
  FROM users WHERE email ~ '^\s|\s$'
), fixable AS (
  SELECT DISTINCT ON (lower(trimmed)) id, trimmed FROM untrimmed t
  WHERE NOT EXISTS (SELECT 1 FROM users o WHERE lower(o.email) = lower(t.trimmed))
  ORDER BY lower(trimmed), created_at, id
)
UPDATE users u SET email = f.trimmed FROM fixable f WHERE u.id = f.id;
