-- dlq task table: one row per task of every queue in this schema.
-- Unqualified names: whichever tool runs these scripts (PostgresSchema.migrate, Flyway, Liquibase,
-- psql) sets the search_path to the target schema first.

-- dlq keeps its own version in the schema, whichever tool applied the scripts: every script ends by
-- recording itself here, so PostgresSchema.migrate and the schema check on open see what is there.
-- The checksum is filled in by PostgresSchema.migrate; other tools keep their own.
CREATE TABLE IF NOT EXISTS dlq_schema_history (
  version      integer     NOT NULL PRIMARY KEY,
  script       text        NOT NULL,
  checksum     bigint,
  installed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tasks (
  id               text        NOT NULL PRIMARY KEY,
  queue            text        NOT NULL,
  type             text        NOT NULL CHECK (type <> ''),
  payload          bytea       NOT NULL,
  headers          jsonb       NOT NULL DEFAULT '{}'::jsonb,
  status           text        NOT NULL DEFAULT 'READY' CHECK (status IN ('READY', 'RUNNING', 'DONE', 'DEAD')),
  attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts     integer     NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  run_at           timestamptz NOT NULL DEFAULT now(),
  lease_owner      text,
  lease_until      timestamptz,
  last_error       text,
  last_error_class text,
  history          jsonb,
  replay_id        text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
) WITH (
  -- a hot queue: every task is inserted, updated and deleted within seconds, so vacuum early and
  -- without throttling instead of waiting for 20% of the table to be dead
  autovacuum_vacuum_scale_factor = 0.0,
  autovacuum_vacuum_threshold = 5000,
  autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_analyze_threshold = 5000,
  fillfactor = 80
);

-- the claim reads only this index: ready work of one queue in run_at order
CREATE INDEX tasks_ready ON tasks (queue, run_at) WHERE status = 'READY';
-- the lease reaper reads only this one
CREATE INDEX tasks_leased ON tasks (lease_until) WHERE status = 'RUNNING';
-- finished rows kept for a while (keepCompleted, keepDead) are trimmed through this one
CREATE INDEX tasks_finished ON tasks (finished_at) WHERE status IN ('DONE', 'DEAD');

INSERT INTO dlq_schema_history (version, script) VALUES (1, 'V1__tasks.sql');
