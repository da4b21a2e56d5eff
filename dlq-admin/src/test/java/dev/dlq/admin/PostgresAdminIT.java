package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The admin server over PostgreSQL: names and notes arrive, are kept and come back as the UTF-8 they were. */
class PostgresAdminIT {
  @Test
  void aNonAsciiOperatorAndNoteSurviveTheRoundTrip() throws Exception {
    TestDatabase db = TestDatabase.get();
    String schema = db.migratedSchema("admin");
    try {
      PostgresDeadLetterStore store = PostgresDeadLetterStore.builder(db.dataSource()).schema(schema).build();
      store.record(Fixtures.deadLetter("m-1", "order.created", ErrorClass.USER_ERROR, DeadLetterReason.NON_RETRYABLE,
          Instant.parse("2026-01-01T10:00:00Z")));
      String id = Fixtures.id("m-1");
      try (AdminServer server = AdminServer.builder(store).port(0).build().start()) {
        String body = "{\"note\":\"réglé par l'équipe 日本\\nforged line\"}";
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(("POST /api/dead-letters/" + id + "/resolve HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
            + "\r\nContent-Type: application/json; charset=utf-8\r\nX-Dlq-Request: 1\r\nConnection: close\r\n"
            + "Content-Length: " + bodyBytes.length + "\r\nX-Dlq-Operator: ").getBytes(StandardCharsets.US_ASCII));
        req.write("Zoë Ünal".getBytes(StandardCharsets.UTF_8));
        req.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        req.write(bodyBytes);
        String answer;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
          OutputStream out = s.getOutputStream();
          out.write(req.toByteArray());
          out.flush();
          InputStream in = s.getInputStream();
          answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"resolved\":1");
      }
      assertThat(store.get(id).orElseThrow().status()).isEqualTo(DeadLetterStatus.RESOLVED);
      AuditEntry e = store.audit(1).get(0);
      assertThat(e.operator()).isEqualTo("Zoë Ünal");
      assertThat(e.detail()).contains("réglé par l'équipe 日本 forged line").doesNotContain("\n");
    } finally {
      db.dropSchema(schema);
    }
  }
}
