-- every operator action on the dead-letter store: who, when, what, on what, how many
CREATE TABLE audit_log (
  id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at       timestamptz NOT NULL,
  operator text        NOT NULL,
  action   text        NOT NULL,
  target   text        NOT NULL,
  count    bigint      NOT NULL,
  detail   text        NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

INSERT INTO dlq_schema_history (version, script) VALUES (3, 'V3__audit_log.sql');
