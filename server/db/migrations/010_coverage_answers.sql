-- 009: stored coverage answers (issue 13): the body of a default `GET /api/coverage` (100 m cells,
-- the norm's radius, whole districts), kept so that the first request after a start is answered
-- from the database on the request thread instead of waiting for a worker thread to start, read
-- the population surfaces and compute (server/features/coverage/answers.ts).
-- An answer is used only while it is exact: `inputs` (surface format + newest finished import)
-- must equal today's, and `facilities` (a digest of the id, position and capacity of every active
-- facility of the category in the bbox w/s/e/n the analysis read) must equal today's digest of the
-- same bbox — so a facility edit, or an import, makes it unused at once. Derived data: every
-- import that writes deletes all rows, as it does the population surfaces.
CREATE TABLE coverage_answers (
  key         text PRIMARY KEY,
  inputs      text NOT NULL,
  category    text NOT NULL,
  w           double precision NOT NULL,
  s           double precision NOT NULL,
  e           double precision NOT NULL,
  n           double precision NOT NULL,
  facilities  text NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
