/** The JetStream implementation behind {@code dev.dlq.nats}; not exported. Audience: dlq maintainers. */
package dev.dlq.nats.internal;
