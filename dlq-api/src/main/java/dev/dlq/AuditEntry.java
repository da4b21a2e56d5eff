package dev.dlq;

import java.time.Instant;

/**
 * One operator action on a dead-letter store. Immutable and thread-safe.
 *
 * @param at when
 * @param operator who
 * @param action what ("replay", "resolve", "discard", "purge", …)
 * @param target the ids or the filter it applied to, as text
 * @param count how many dead letters it changed
 * @param detail anything else worth keeping (replay id, note)
 */
public record AuditEntry(Instant at, String operator, String action, String target, long count, String detail) {}
