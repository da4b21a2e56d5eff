package dev.dlq.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * {@link TestPostgres#start()} as a user calls it: on a machine without a Docker engine (ours) the
 * real probe says no and an embedded server starts; where Docker answers, a container does.
 */
class StartPostgresIT {

  @Test
  void startsWhatTheProbeChoosesAndItAnswersSql() throws Exception {
    long t0 = System.nanoTime();
    boolean docker = TestPostgres.dockerAnswers();
    long probeMillis = (System.nanoTime() - t0) / 1_000_000;
    try (TestPostgres pg = TestPostgres.start()) {
      assertThat(pg.kind()).isEqualTo(docker ? TestPostgres.Kind.TESTCONTAINERS : TestPostgres.Kind.EMBEDDED);
      try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("select current_setting('server_version_num')::int")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(120000);
      }
      System.out.println("StartPostgresIT: Docker probe " + docker + " in " + probeMillis + " ms; started " + pg);
    }
  }
}
