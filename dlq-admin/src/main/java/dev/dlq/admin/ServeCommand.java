package dev.dlq.admin;

import dev.dlq.spi.DeadLetterStore;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dlq serve}: the HTTP admin API, the web console and /metrics over one store, until stopped. */
@Command(name = "serve", description = {"The HTTP admin API, web console and /metrics over one store, until stopped.",
    "Roles: viewer, operator, admin (docs/operating.md)."})
final class ServeCommand extends StoreAction {
  @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "address to listen on (default 127.0.0.1)")
  String bind;
  @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "port (default 8080; 0: any free one)")
  String port;
  @Option(names = "--token", paramLabel = "NAME:ROLE:SECRET", description = "a caller, repeatable (or DLQ_ADMIN_TOKEN)")
  List<String> tokens;
  @Option(names = "--tokens-file", paramLabel = "FILE", description = "callers, one NAME:ROLE:SECRET a line")
  Path tokensFile;
  @Option(names = "--allowed-host", paramLabel = "HOST", description = "a Host header to accept besides the bound one, repeatable")
  List<String> allowedHosts;
  @Option(names = "--allowed-origin", paramLabel = "ORIGIN", description = "a browser origin to accept, repeatable")
  List<String> allowedOrigins;
  @Option(names = "--tls-keystore", paramLabel = "FILE", description = "serve HTTPS with this PKCS12 keystore")
  Path tlsKeystore;
  @Option(names = "--tls-password", paramLabel = "P", description = "the keystore's password (or DLQ_TLS_PASSWORD)")
  String tlsPassword;
  @Option(names = "--replay-rate", paramLabel = "N", defaultValue = "50", description = "replays a second at most (default 50)")
  String replayRate;
  @Option(names = "--max-bulk", paramLabel = "N", defaultValue = "1000", description = "ids one bulk action takes at most (default 1000)")
  String maxBulk;
  @Option(names = "--allow-edits", paramLabel = "T1,T2", split = ",", hideParamSyntax = true,
      description = "message types whose dead letters may be edited and replayed (* for all; or DLQ_ALLOW_EDITS); default none")
  List<String> allowEdits;
  @Mixin RedactionOptions redaction;

  @Override
  int run(DeadLetterStore store) throws Exception {
    AdminServer.Builder b = AdminServer.builder(store).bind(bind).port(Filters.intIn("--port", port, 0, 65535))
        .replayRate(Filters.rate(replayRate)).maxBulk(Filters.intIn("--max-bulk", maxBulk, 1, 100_000))
        .redaction(redaction.format());
    List<String> given = tokens != null ? tokens : List.of();
    String fromEnv = env().get("DLQ_ADMIN_TOKEN");
    if (given.isEmpty() && fromEnv != null && !fromEnv.isBlank()) {
      given = List.of(fromEnv);
    }
    given.forEach(b::token);
    b.allowEdits((allowEdits != null ? allowEdits : DeadLetterChanges.editableTypes(env())).toArray(new String[0]));
    if (tokensFile != null) {
      b.tokensFile(tokensFile);
    }
    (allowedHosts != null ? allowedHosts : List.<String>of()).forEach(b::allowedHost);
    (allowedOrigins != null ? allowedOrigins : List.<String>of()).forEach(b::allowedOrigin);
    if (tlsKeystore != null) {
      String pw = tlsPassword != null ? tlsPassword : env().get("DLQ_TLS_PASSWORD");
      if (pw == null) {
        throw new IllegalArgumentException("--tls-keystore needs --tls-password (or DLQ_TLS_PASSWORD)");
      }
      b.tls(tlsKeystore, pw.toCharArray());
    }
    try (AdminServer server = b.build().start()) {
      out().println("dlq admin on " + (server.tls() ? "https" : "http") + "://" + (bind.contains(":") ? "[" + bind + "]" : bind)
          + ":" + server.port() + "/  (API under /api/dead-letters, metrics at /metrics)");
      CountDownLatch forever = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
      forever.await();
    } catch (BindException e) {
      throw new java.io.UncheckedIOException("cannot listen on " + bind + ":" + port + ": " + e.getMessage()
          + " (is another server on that port? try --port)", e);
    }
    return Exit.OK;
  }
}
