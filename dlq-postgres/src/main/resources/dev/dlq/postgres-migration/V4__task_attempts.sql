-- failed attempts of tasks, one row each, insert-only: a retry adds a row here, in the transaction
-- that reschedules the task, instead of rewriting a growing history document on the hot task row
-- (O(1) bytes written per attempt). Read back only to build a dead letter or to claim a task by id.
-- attempt is the task's attempt counter when it failed; rows leave with their task (completion,
-- trim of finished tasks, replay over a finished task).
CREATE TABLE task_attempts (
  task_id text    NOT NULL,
  attempt integer NOT NULL,
  detail  jsonb   NOT NULL,
  PRIMARY KEY (task_id, attempt)
);

-- histories written by earlier versions move here, oldest first
INSERT INTO task_attempts (task_id, attempt, detail)
SELECT t.id, h.n, h.detail
FROM tasks t, jsonb_array_elements(t.history) WITH ORDINALITY AS h(detail, n)
WHERE jsonb_typeof(t.history) = 'array';

ALTER TABLE tasks DROP COLUMN history;

INSERT INTO dlq_schema_history (version, script) VALUES (4, 'V4__task_attempts.sql');
