-- notifications for the people who own failed messages (dlq-alerts' UserNotifications): the
-- application shows them their own; one row per alert, idempotent on the alert id
CREATE TABLE notifications (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id      text        NOT NULL UNIQUE,
  recipient     text        NOT NULL,
  rule          text        NOT NULL,
  severity      text        NOT NULL,
  title         text        NOT NULL,
  dead_letter_id text,
  message_type  text,
  alert         jsonb       NOT NULL,
  created_at    timestamptz NOT NULL,
  read_at       timestamptz
);
CREATE INDEX notifications_recipient ON notifications (recipient, id DESC);

INSERT INTO dlq_schema_history (version, script) VALUES (6, 'V6__notifications.sql');
