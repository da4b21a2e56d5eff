package dev.dlq.sqs.it;

import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.spi.DeadLetterSink;

/** The SPI contract again, with dead letters going to an SQS dead-letter queue. */
class SqsSinkContractIT extends SqsSourceContractIT {
  private final DeadLetterSink sink = SqsDeadLetterSink.builder(SqsServer.client(), SqsServer.queue("contract-dlq")).build();

  @Override
  protected DeadLetterSink sink() {
    return sink;
  }
}
