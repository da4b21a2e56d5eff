-- dead letters: every field of the dead-letter format (docs/dead-letter-format.md) plus the
-- operator workflow (status, counts, lineage). The id is DeadLetter.idFor(source, message id).
CREATE TABLE dead_letters (
  id                 text        NOT NULL PRIMARY KEY,
  message_id         text        NOT NULL,
  type               text        NOT NULL,
  payload            bytea       NOT NULL,
  headers            jsonb       NOT NULL,
  source_backend     text        NOT NULL,
  source_destination text        NOT NULL,
  attempt            integer     NOT NULL,
  first_seen         timestamptz NOT NULL,
  error_class        text        NOT NULL,
  error_type         text        NOT NULL,
  error_message      text        NOT NULL,
  stack_trace        text        NOT NULL,
  attempts           integer     NOT NULL,
  max_attempts       integer     NOT NULL,
  first_failure_at   timestamptz NOT NULL,
  last_failure_at    timestamptz NOT NULL,
  dead_at            timestamptz NOT NULL,
  worker_id          text        NOT NULL,
  reason             text        NOT NULL,
  fingerprint        text        NOT NULL,
  history            jsonb       NOT NULL,
  status             text        NOT NULL DEFAULT 'PENDING'
                     CHECK (status IN ('PENDING', 'RESOLVED', 'REPLAYED', 'DISCARDED')),
  death_count        integer     NOT NULL DEFAULT 1,
  replay_count       integer     NOT NULL DEFAULT 0,
  last_replay_id     text,
  last_replay_by     text,
  last_replay_at     timestamptz,
  note               text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- listings are newest dead first with a keyset on (dead_at, id), ids compared byte-wise
CREATE INDEX dead_letters_dead_at ON dead_letters (dead_at DESC, id COLLATE "C" DESC);
CREATE INDEX dead_letters_status ON dead_letters (status, dead_at DESC, id COLLATE "C" DESC);
CREATE INDEX dead_letters_type ON dead_letters (type, dead_at DESC, id COLLATE "C" DESC);
CREATE INDEX dead_letters_fingerprint ON dead_letters (fingerprint, dead_at DESC);

-- replay lineage: every replay of every dead letter, with its operator
CREATE TABLE replays (
  replay_id      text        NOT NULL,
  dead_letter_id text        NOT NULL,
  operator       text        NOT NULL,
  destination    text        NOT NULL,
  at             timestamptz NOT NULL,
  PRIMARY KEY (replay_id, dead_letter_id)
);
CREATE INDEX replays_dead_letter ON replays (dead_letter_id, at);

INSERT INTO dlq_schema_history (version, script) VALUES (2, 'V2__dead_letters.sql');
