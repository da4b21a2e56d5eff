package dev.dlq.postgres.internal;

import dev.dlq.spi.Checks;
import java.util.regex.Pattern;

/** Checks and quotes the one identifier users choose: the schema. */
public final class Names {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /** The channel every dlq queue notifies on; the payload names the schema and queue. */
  public static final String CHANNEL = "dlq_tasks";

  private Names() {}

  /**
   * @throws IllegalArgumentException unless {@code schema} is a plain identifier: a letter or
   *     underscore, then letters, digits or underscores, at most 63 characters
   */
  public static String schema(String schema) {
    if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("schema must be a plain identifier (letters, digits, underscores; "
          + "not starting with a digit; at most 63 characters) but was " + (schema == null ? "null" : "'" + schema + "'"));
    }
    return schema;
  }

  /** {@code schema} as a quoted identifier, after {@link #schema(String)}. */
  public static String quoted(String schema) {
    return '"' + schema(schema) + '"';
  }

  /** The NOTIFY payload of a queue. */
  public static String wakeKey(String schema, String queue) {
    return schema + "." + queue;
  }
}
