package dev.dlq.sqs.it;

import dev.dlq.sqs.SqsSource;

/** The SPI contract with {@link SqsSource.Completion#ASYNC}: a completed message is still gone. */
class SqsAsyncCompletionContractIT extends SqsSourceContractIT {
  @Override
  protected SqsSource.Builder configure(SqsSource.Builder b) {
    return b.completion(SqsSource.Completion.ASYNC);
  }
}
