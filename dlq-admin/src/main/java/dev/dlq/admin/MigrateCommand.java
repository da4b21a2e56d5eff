package dev.dlq.admin;

import dev.dlq.DlqException;
import dev.dlq.postgres.PostgresSchema;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code dlq migrate --url JDBC_URL [--schema dlq] [--user U] [--check]}: applies dlq's PostgreSQL
 * scripts to one schema (the only CLI command that runs DDL), or with {@code --check} only says
 * whether the schema is current (exit 4, as for any command on a schema that is not). The URL may
 * also come from {@code DLQ_STORE_URL}, the password from {@code PGPASSWORD}; neither is ever printed.
 */
@Command(name = "migrate", description = {"Create or upgrade dlq's PostgreSQL tables in one schema, or --check them.",
    "The only command that runs DDL: every other command on a missing or old schema exits 4."})
final class MigrateCommand extends Action {
  @Option(names = "--url", paramLabel = "JDBC_URL", description = "jdbc:postgresql://HOST:PORT/DB (or DLQ_STORE_URL)")
  String url;
  @Option(names = "--schema", paramLabel = "NAME", description = "the schema (default dlq)") String schema;
  @Option(names = "--user", paramLabel = "U", description = "the database user (password: PGPASSWORD)") String user;
  @Option(names = "--check", description = "change nothing: exit 0 when current, 4 when not") boolean check;

  @Override
  int run() {
    String u = url != null ? url : env().get("DLQ_STORE_URL");
    if (u == null || u.isBlank()) {
      throw new IllegalArgumentException("--url is required (or DLQ_STORE_URL)");
    }
    if (!u.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--url must be a JDBC URL starting with jdbc:postgresql:");
    }
    String s = schema != null ? schema : PostgresSchema.DEFAULT_SCHEMA;
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(u);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url is not a valid PostgreSQL JDBC URL");
    }
    if (user != null) {
      ds.setUser(user);
    }
    if (env().get("PGPASSWORD") != null) {
      ds.setPassword(env().get("PGPASSWORD"));
    }
    try {
      if (check) {
        PostgresSchema.verify(ds, s);
        out().println("schema " + s + ": current (" + PostgresSchema.scripts().size() + " scripts applied)");
        return Exit.OK;
      }
      List<String> applied = PostgresSchema.migrate(ds, s);
      out().println("schema " + s + ": " + (applied.isEmpty()
          ? "already current (" + PostgresSchema.scripts().size() + " scripts), nothing applied"
          : "applied " + String.join(", ", applied)));
      return Exit.OK;
    } catch (IllegalStateException e) {
      throw new DlqException(e.getMessage(), e); // a script changed after it was applied: one line, exit 1
    }
  }
}
