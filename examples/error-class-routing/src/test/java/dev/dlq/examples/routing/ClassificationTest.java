package dev.dlq.examples.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** The seed's classification table, as the worker applies it: the renderer's statuses first, then dlq's defaults. */
class ClassificationTest {
  final ErrorClassifier classifier = ChartJobs.BY_STATUS.orElse(ErrorClassifier.defaults());

  @Test
  void statusesFollowTheSeedsTable() {
    assertThat(classOf(503)).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(classOf(504)).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(classOf(429)).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(classOf(400)).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(classOf(404)).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(classOf(500)).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(classOf(502)).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(classOf(409)).isEqualTo(ErrorClass.UNKNOWN);
  }

  @Test
  void whatTheRendererNeverAnsweredFallsToDlqsDefaults() {
    assertThat(classifier.classify(new HttpTimeoutException("request timed out"))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(classifier.classify(new ConnectException("connection refused"))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(classifier.classify(new NullPointerException())).isEqualTo(ErrorClass.SYSTEM_ERROR);
  }

  private ErrorClass classOf(int status) {
    return classifier.classify(new RenderFailed(status, "..."));
  }
}
