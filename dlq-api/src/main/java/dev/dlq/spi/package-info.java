/**
 * The service provider interface: what a backend implements ({@link dev.dlq.spi.Source},
 * {@link dev.dlq.spi.Delivery}, {@link dev.dlq.spi.DeadLetterSink}, {@link dev.dlq.spi.DeadLetterStore})
 * and the provider factories that {@link java.util.ServiceLoader} discovers.
 *
 * <p>Audience: backend implementers, and operators' tools that query a store.
 */
package dev.dlq.spi;
