package dev.dlq.sqs.it;

import dev.dlq.contract.SourceContract;
import dev.dlq.sqs.SqsEnvelope;
import dev.dlq.sqs.SqsSource;
import dev.dlq.spi.Source;
import java.util.Map;
import java.util.UUID;

/** The SPI contract on a real SQS server; dead letters go to the contract's in-memory store. */
class SqsSourceContractIT extends SourceContract {
  private String queueUrl;

  @Override
  protected Source newSource() {
    queueUrl = SqsServer.queue("contract");
    return configure(SqsSource.builder(SqsServer.client(), queueUrl).lease(java.time.Duration.ofSeconds(30))).build();
  }

  /** Subclasses vary the source here. */
  protected SqsSource.Builder configure(SqsSource.Builder b) {
    return b;
  }

  @Override
  protected String enqueue(String type, byte[] payload, Map<String, String> headers) {
    String id = "m-" + UUID.randomUUID();
    SqsServer.client().sendMessage(SqsEnvelope.request(queueUrl, id, type, payload, headers).build());
    return id;
  }
}
