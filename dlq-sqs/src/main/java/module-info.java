/**
 * dlq's SQS backend: a source, a dead-letter sink, redrive and the DB-authority worker. Only
 * {@code dev.dlq.sqs} is exported; the implementation stays in {@code dev.dlq.sqs.internal}.
 */
@SuppressWarnings("requires-transitive-automatic") // the SDK ships automatic modules; its types are in our API
module dev.dlq.sqs {
  requires transitive dev.dlq;
  requires transitive software.amazon.awssdk.services.sqs;
  requires transitive software.amazon.awssdk.core;
  requires transitive software.amazon.awssdk.auth;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.identity.spi;
  requires software.amazon.awssdk.utils;
  requires org.slf4j;
  requires static dev.dlq.postgres; // DB-authority mode only: its users require dev.dlq.postgres themselves

  exports dev.dlq.sqs;

  provides dev.dlq.spi.SourceProvider with dev.dlq.sqs.internal.SqsProviders.Sources;
  provides dev.dlq.spi.DeadLetterSinkProvider with dev.dlq.sqs.internal.SqsProviders.Sinks;
  provides dev.dlq.ErrorClassifier with dev.dlq.sqs.internal.SqsErrorClassifier;
}
