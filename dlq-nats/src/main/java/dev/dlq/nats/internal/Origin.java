package dev.dlq.nats.internal;

/**
 * Where in JetStream a dead message was stored.
 *
 * @param stream the work stream
 * @param sequence its stream sequence
 */
record Origin(String stream, long sequence) {}
