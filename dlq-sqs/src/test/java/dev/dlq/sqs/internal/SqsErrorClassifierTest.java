package dev.dlq.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dlq.ErrorClass;
import dev.dlq.ErrorClassifier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsErrorClassifierTest {
  private final SqsErrorClassifier c = new SqsErrorClassifier();

  private static SqsException status(int code, String errorCode) {
    return (SqsException) SqsException.builder().statusCode(code).message("m")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(errorCode).build()).build();
  }

  @Test
  void serviceErrorsByStatus() {
    assertThat(c.classify(status(503, "ServiceUnavailable"))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(c.classify(status(429, "TooMany"))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(c.classify(status(400, "ThrottlingException"))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(c.classify(status(500, "InternalError"))).isEqualTo(ErrorClass.SYSTEM_ERROR);
    assertThat(c.classify(status(400, "InvalidParameterValue"))).isEqualTo(ErrorClass.USER_ERROR);
    assertThat(c.classify(status(403, "AccessDenied"))).isEqualTo(ErrorClass.USER_ERROR);
  }

  @Test
  void clientSideErrors() {
    assertThat(c.classify(ApiCallTimeoutException.create(1000))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(c.classify(AbortedException.create("stop"))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(c.classify(SdkClientException.create("bad config"))).isEqualTo(ErrorClass.UNKNOWN);
  }

  @Test
  void walksTheCauseChainAndLeavesOthersToTheNextClassifier() {
    assertThat(c.classify(new RuntimeException("wrapped", status(503, "x")))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(c.classify(new IllegalStateException("not ours"))).isEqualTo(ErrorClass.UNKNOWN);
  }

  @Test
  void isPartOfTheDefaultsThroughServiceLoader() {
    assertThat(ErrorClassifier.defaults().classify(status(429, "x"))).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(ErrorClassifier.defaults().classify(new RuntimeException(status(500, "x"))))
        .isEqualTo(ErrorClass.SYSTEM_ERROR);
  }
}
