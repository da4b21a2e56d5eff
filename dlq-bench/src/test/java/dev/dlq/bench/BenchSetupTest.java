package dev.dlq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterJson;
import dev.dlq.bench.drain.Contender;
import dev.dlq.bench.drain.Contender.Work;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the bench that decide what is measured: fixtures, the work's arithmetic, the benchmark list. */
class BenchSetupTest {

  @Test
  void payloadsHaveExactlyTheAskedSize() {
    assertThat(Fixtures.payload(1024)).hasSize(1024);
    assertThat(Fixtures.payload(256)).hasSize(256);
    assertThatThrownBy(() -> Fixtures.payload(10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size must be >= 48");
  }

  @Test
  void theJsonFixtureRoundTripsAndCarriesAKibibyteOfPayload() {
    DeadLetter dl = Fixtures.deadLetter(1024);
    assertThat(dl.message().payloadSize()).isEqualTo(1024);
    assertThat(dl.history()).hasSize(3);
    assertThat(dl.stackTrace()).contains("Caused by: java.lang.NullPointerException");
    assertThat(DeadLetterJson.fromJson(DeadLetterJson.toJson(dl))).isEqualTo(dl);
  }

  @Test
  void tenPercentFailingMeansTenOfEveryHundredAndFourAttemptsEach() {
    Work w = new Work(1000, 10, Work.ATTEMPTS, Duration.ofSeconds(1));
    assertThat(w.expectedDead()).isEqualTo(100);
    assertThat(w.expectedExecutions()).isEqualTo(900 + 100 * 4);
    assertThat(Contender.failing(9, 10)).isTrue();
    assertThat(Contender.failing(10, 10)).isFalse();
    assertThat(Contender.failing(109, 10)).isTrue();
    assertThat(new Work(1000, 0, Work.ATTEMPTS, Duration.ofSeconds(1)).expectedDead()).isZero();
  }

  @Test
  void awaitGivesUpWithTheNameOfWhatItWaitedFor() {
    assertThatThrownBy(() -> Contender.await(() -> false, Duration.ofMillis(30), 5, "the queue to empty"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the queue to empty");
  }

  @Test
  void everyBenchmarkIsListedForTheShadedJar() throws Exception {
    Path list = Path.of("target/classes/META-INF/BenchmarkList");
    assertThat(list).exists();
    List<String> lines = Files.readAllLines(list);
    for (String b : List.of("DecisionBenchmark.decide", "DecisionBenchmark.decideAndBuild",
        "DeadLetterJsonBenchmark.toJson", "DeadLetterJsonBenchmark.fromJson", "EngineBenchmark.worker",
        "EngineBenchmark.rawSourceLoop")) {
      String generated = b.replace('.', '_') + "_jmhTest";
      assertThat(lines).as("benchmark " + b).anyMatch(l -> l.contains(generated));
    }
  }
}
