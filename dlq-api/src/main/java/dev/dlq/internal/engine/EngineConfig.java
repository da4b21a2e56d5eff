package dev.dlq.internal.engine;

import dev.dlq.CircuitBreakerConfig;
import dev.dlq.DeadLetterFormat;
import dev.dlq.ErrorClassifier;
import dev.dlq.Processor;
import dev.dlq.RetryPolicy;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.Source;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Everything a worker was built with; checked by the builder. {@code sink} is the resolved sink. */
public record EngineConfig(Source source, Processor processor, RetryPolicy retryPolicy, ErrorClassifier classifier,
    DeadLetterSink sink, DeadLetterFormat format, int concurrency, int prefetch, Executor executor, Clock clock,
    String workerId, DlqObserver observer, Duration pollWait, Duration shutdownTimeout,
    Duration pollErrorBackoff, CircuitBreakerConfig circuit, int minPollBatch, Duration pollLinger) {}
