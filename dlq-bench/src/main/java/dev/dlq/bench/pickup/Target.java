package dev.dlq.bench.pickup;

import java.util.function.IntConsumer;

/**
 * One system of the pickup benchmark: started idle, then handed samples one at a time. The bench
 * takes the time right after {@link #enqueue} returns (the enqueue is committed by then) and the
 * time the processor called {@code started} with the sample's number; the difference is the
 * pickup latency.
 */
public interface Target extends AutoCloseable {

  /** The name printed on this system's line. */
  String name();

  /** Creates fresh tables and starts the system; its processor calls {@code started} first thing. */
  void start(IntConsumer started) throws Exception;

  /** Enqueues sample {@code i} and returns once the enqueue has committed. */
  void enqueue(int i) throws Exception;
}
