package dev.dlq.admin;

import dev.dlq.DlqException;
import dev.dlq.postgres.PostgresSchema;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code dlq migrate --url JDBC_URL [--schema dlq] [--user U] [--check]}: applies dlq's PostgreSQL
 * scripts to one schema (the only CLI command that runs DDL), or with {@code --check} only says
 * whether the schema is current (exit 1 when not). The URL may also come from {@code DLQ_STORE_URL},
 * the password from {@code PGPASSWORD}; neither is ever printed.
 */
final class MigrateCommand {
  private static final Set<String> OPTIONS = Set.of("url", "schema", "user");

  private MigrateCommand() {}

  static int run(List<String> rest, PrintStream out, Map<String, String> env) {
    Args a = Args.parse(rest, OPTIONS, Set.of("check"));
    if (!a.positional.isEmpty()) {
      throw new IllegalArgumentException("unexpected argument '" + a.positional.get(0) + "'\n" + usage());
    }
    String url = a.get("url", env.get("DLQ_STORE_URL"));
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("--url is required (or DLQ_STORE_URL)\n" + usage());
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--url must be a JDBC URL starting with jdbc:postgresql:");
    }
    String schema = a.get("schema", PostgresSchema.DEFAULT_SCHEMA);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url is not a valid PostgreSQL JDBC URL");
    }
    if (a.options.containsKey("user")) {
      ds.setUser(a.get("user", null));
    }
    if (env.get("PGPASSWORD") != null) {
      ds.setPassword(env.get("PGPASSWORD"));
    }
    try {
      if (a.has("check")) {
        PostgresSchema.verify(ds, schema);
        out.println("schema " + schema + ": current (" + PostgresSchema.scripts().size() + " scripts applied)");
        return 0;
      }
      List<String> applied = PostgresSchema.migrate(ds, schema);
      out.println("schema " + schema + ": " + (applied.isEmpty()
          ? "already current (" + PostgresSchema.scripts().size() + " scripts), nothing applied"
          : "applied " + String.join(", ", applied)));
      return 0;
    } catch (IllegalStateException e) {
      throw new DlqException(e.getMessage(), e); // a script changed after it was applied: one line, exit 1
    }
  }

  static String usage() {
    return "usage: dlq migrate --url jdbc:postgresql://HOST:PORT/DB[?user=U] [--schema dlq] [--user U] [--check]";
  }
}
