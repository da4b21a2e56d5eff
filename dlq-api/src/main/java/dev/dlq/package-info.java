/**
 * The user API of dlq: messages and outcomes, processors, retry policies, error classifiers, the
 * dead-letter model and its JSON format, the {@link dev.dlq.Worker} engine and provider lookup
 * through {@link dev.dlq.Dlq}.
 *
 * <p>Audience: application developers. Values are immutable and thread-safe; builders are not.
 */
package dev.dlq;
