-- payload search (dlq dead-letters list --payload-field customer.id=42): payloads are bytea, kept
-- byte-exact; this reads one as jsonb, or NULL when it is not UTF-8 JSON, so that a search never
-- fails on a binary or malformed payload.
CREATE FUNCTION dlq_payload_jsonb(p bytea) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
BEGIN
  RETURN convert_from(p, 'UTF8')::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;

-- a payload-field search is a containment (@>) test that reads this index
CREATE INDEX dead_letters_payload_jsonb ON dead_letters USING gin (dlq_payload_jsonb(payload) jsonb_path_ops);

INSERT INTO dlq_schema_history (version, script) VALUES (7, 'V7__payload_search.sql');
