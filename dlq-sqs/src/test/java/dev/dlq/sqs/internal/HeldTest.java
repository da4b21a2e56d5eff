package dev.dlq.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/** Visibility arithmetic: whole seconds rounded up, SQS's 12-hour window, heartbeats that need no call. */
class HeldTest {
  private final List<Integer> sent = new CopyOnWriteArrayList<>();

  /** Records the visibility timeouts asked for; every other call of the interface stays unsupported. */
  private final SqsClient recorder = new SqsClient() {
    @Override
    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(
        Consumer<ChangeMessageVisibilityBatchRequest.Builder> b) {
      ChangeMessageVisibilityBatchRequest r = ChangeMessageVisibilityBatchRequest.builder().applyMutation(b).build();
      r.entries().forEach(e -> sent.add(e.visibilityTimeout()));
      return ChangeMessageVisibilityBatchResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  };
  private final QueueOps ops = new QueueOps(recorder, "q", 1);

  private Held heldFor(Duration ago, Duration visibility) {
    return new Held(ops, "rh", System.nanoTime() - ago.toNanos(), visibility, "m");
  }

  @Test
  void delaysAreWholeSecondsRoundedUp() {
    heldFor(Duration.ZERO, Duration.ofSeconds(30)).visibleAfter(Duration.ofMillis(1500));
    heldFor(Duration.ZERO, Duration.ofSeconds(30)).visibleAfter(Duration.ZERO);
    heldFor(Duration.ZERO, Duration.ofSeconds(30)).release();
    assertThat(sent).containsExactly(2, 0, 0);
  }

  @Test
  void noDelayPassesTwelveHoursFromTheReceive() {
    heldFor(Duration.ZERO, Duration.ofSeconds(30)).visibleAfter(Duration.ofHours(13));
    heldFor(Duration.ofHours(11), Duration.ofSeconds(30)).visibleAfter(Duration.ofHours(2));
    assertThat(sent.get(0)).isBetween(43_190, 43_194);
    assertThat(sent.get(1)).isBetween(3_590, 3_594);
  }

  @Test
  void aHeartbeatCallsOnlyOnceAThirdOfTheLeaseIsGone() {
    Held fresh = heldFor(Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(fresh.extend(Duration.ofSeconds(30))).isFalse();
    Held older = heldFor(Duration.ofSeconds(15), Duration.ofSeconds(30));
    assertThat(older.extend(Duration.ofSeconds(30))).isTrue();
    assertThat(older.extend(Duration.ofSeconds(30))).as("just extended").isFalse();
    assertThat(sent).containsExactly(30);
  }

  @Test
  void afterTwelveHoursNothingCanBeExtended() {
    Held ancient = heldFor(Duration.ofHours(12), Duration.ofSeconds(30));
    assertThat(ancient.extend(Duration.ofSeconds(30))).isFalse();
    assertThat(sent).isEmpty();
  }
}
