package dev.dlq.nats.internal;

import dev.dlq.nats.TypeRule;
import java.time.Duration;

/**
 * How a {@link JetStreamSource} consumes.
 *
 * @param stream the work stream
 * @param consumer the durable pull consumer's name
 * @param filterSubject the consumer's filter subject, or null for the whole stream
 * @param ackWait how long a delivered message stays invisible (the lease)
 * @param maxDeliver the consumer's MaxDeliver, the crash backstop; above the retry policy's attempts
 * @param maxAckPending how many unacknowledged messages the consumer allows
 * @param createConsumer create or update the durable consumer; false binds to it as it is
 * @param typeRule how to tell a message's type
 * @param pullBatch the smallest pull under load (read-ahead); 0 or 1 pulls only what each poll asks for
 */
public record SourceConfig(String stream, String consumer, String filterSubject, Duration ackWait, int maxDeliver,
    int maxAckPending, boolean createConsumer, TypeRule typeRule, int pullBatch) {}
