package dev.dlq;

/**
 * dlq's tables (or streams, buckets) are missing or older than this version expects. The message
 * names the call that creates them, for example {@code PostgresSchema.migrate(dataSource)} or
 * {@code dlq migrate}.
 */
public class SchemaMissingException extends DlqException {
  private static final long serialVersionUID = 1L;
  /** The schema, stream or bucket that is missing. */
  private final String schema;
  /** The call or command that creates it. */
  private final String fix;

  /**
   * Schema {@code schema} is missing; {@code fix} is the call that creates it.
   *
   * @param schema the schema, stream or bucket that is missing
   * @param fix the call or command that creates it
   * @param message what is missing and how to create it
   */
  public SchemaMissingException(String schema, String fix, String message) {
    super(message);
    this.schema = schema;
    this.fix = fix;
  }

  /**
   * The schema, stream or bucket that is missing.
   *
   * @return its name
   */
  public String schema() {
    return schema;
  }

  /**
   * The call or command that creates it.
   *
   * @return the call or command
   */
  public String fix() {
    return fix;
  }
}
