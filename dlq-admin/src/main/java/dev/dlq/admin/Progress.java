package dev.dlq.admin;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr while long work runs: once a second, "replaying [#####     ] 120/300 40%
 * 18 s left"; redrawn in place on a terminal, one line each time otherwise (a log, a test). The
 * count comes from {@code done}, asked on this class's own thread.
 */
final class Progress implements AutoCloseable {
  private static final int WIDTH = 30;
  private final PrintStream err;
  private final boolean tty;
  private final String what;
  private final long total;
  private final LongSupplier done;
  private final long started = System.nanoTime();
  private final Thread thread;
  private volatile boolean stop;

  Progress(PrintStream err, boolean tty, String what, long total, LongSupplier done) {
    this.err = err;
    this.tty = tty;
    this.what = what;
    this.total = total;
    this.done = done;
    this.thread = new Thread(this::loop, "dlq-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stop) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      if (!stop) {
        try {
          draw(done.getAsLong());
        } catch (RuntimeException e) {
          // a failed count only skips one redraw; the work itself reports its own failure
        }
      }
    }
  }

  private synchronized void draw(long n) {
    n = Math.max(0, Math.min(n, total));
    int filled = total == 0 ? WIDTH : (int) (WIDTH * n / total);
    double seconds = (System.nanoTime() - started) / 1e9;
    String left = n == 0 ? "" : String.format("  %.0f s left", seconds * (total - n) / n);
    String line = String.format("%s [%s%s] %d/%d %d%%%s", what, "#".repeat(filled), " ".repeat(WIDTH - filled), n,
        total, total == 0 ? 100 : 100 * n / total, left);
    if (tty) {
      err.print("\r" + line + "   ");
    } else {
      err.println(line);
    }
    err.flush();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.interrupt();
    thread.join(2000);
    try {
      draw(done.getAsLong());
    } catch (RuntimeException e) {
      // the work's own result says what happened
    }
    if (tty) {
      err.println();
    }
  }
}
