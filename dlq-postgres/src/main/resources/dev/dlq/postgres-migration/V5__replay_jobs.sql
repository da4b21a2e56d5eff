-- replay jobs of dev.dlq.ReplayRunner: each job as one jsonb document (optimistic concurrency on
-- version) and its snapshot of dead-letter ids in replay order
CREATE TABLE replay_jobs (
  id         text        NOT NULL PRIMARY KEY,
  version    bigint      NOT NULL,
  state      text        NOT NULL,
  created_at timestamptz NOT NULL,
  job        jsonb       NOT NULL
);
CREATE INDEX replay_jobs_created ON replay_jobs (created_at DESC, id DESC);

CREATE TABLE replay_job_ids (
  job_id         text    NOT NULL REFERENCES replay_jobs (id) ON DELETE CASCADE,
  pos            integer NOT NULL,
  dead_letter_id text    NOT NULL,
  PRIMARY KEY (job_id, pos)
);

-- a job counts the dead letters it replayed that died again by their last replay id
CREATE INDEX dead_letters_last_replay ON dead_letters (last_replay_id) WHERE last_replay_id IS NOT NULL;

INSERT INTO dlq_schema_history (version, script) VALUES (5, 'V5__replay_jobs.sql');
