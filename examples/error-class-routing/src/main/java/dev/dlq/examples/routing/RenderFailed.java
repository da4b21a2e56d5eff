package dev.dlq.examples.routing;

import dev.dlq.DeadLetterFormat;

/** The chart renderer answered something other than 200; {@link ChartJobs#BY_STATUS} classifies it by status. */
public final class RenderFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  /** The renderer's answer: its HTTP status and the start of its body. */
  public RenderFailed(int status, String body) {
    super("the renderer answered " + status + ": " + DeadLetterFormat.cut(body, 200));
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
