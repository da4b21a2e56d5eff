package dev.dlq.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on one connection and wakes the poller when a task of its queue becomes ready, so an idle
 * worker starts new work within milliseconds without polling the table. Each wake-up bumps a
 * sequence number: a poller reads it before it claims, then waits only while it is unchanged, so a
 * notification that arrives between the claim and the wait is not lost. When the connection fails
 * the poller falls back to its poll interval until it is back; both the loss and the return are
 * logged, and {@link #state()} tells which holds.
 */
final class Wakeup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wakeup.class);
  private static final int LISTEN_TIMEOUT_MILLIS = 250;

  private final DataSource dataSource;
  private final String key;
  private final Thread thread;
  private final Object lock = new Object();
  private long sequence;
  private volatile boolean closed;
  private volatile State state = State.CONNECTING;
  private volatile int recoveries;

  /** Where the LISTEN connection stands. */
  enum State {
    /** Not listening yet (first connection). */
    CONNECTING,
    /** Listening: notifications wake the poller. */
    LISTENING,
    /** The connection failed; the poller falls back to polling while this reconnects. */
    LOST
  }

  Wakeup(DataSource dataSource, String key, String threadName) {
    this.dataSource = dataSource;
    this.key = key;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  State state() {
    return state;
  }

  /** How often the connection came back after a loss. */
  int recoveries() {
    return recoveries;
  }

  long sequence() {
    synchronized (lock) {
      return sequence;
    }
  }

  /** Wakes waiting pollers (a notification, or work this process made ready itself). */
  void signal() {
    synchronized (lock) {
      sequence++;
      lock.notifyAll();
    }
  }

  /** Waits up to {@code nanos} while the sequence is still {@code seen}; true when woken. */
  boolean await(long seen, long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    synchronized (lock) {
      while (sequence == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  private void run() {
    long backoff = 100;
    long lostAt = 0;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + Names.CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        backoff = 100;
        if (state == State.LOST) {
          recoveries++; // only this thread writes it
          log.info("LISTEN connection for {} is back after {} ms; wake-ups by notification again", key,
              (System.nanoTime() - lostAt) / 1_000_000);
        }
        state = State.LISTENING;
        signal(); // anything enqueued while we were not listening
        while (!closed) {
          PGNotification[] got = pg.getNotifications(LISTEN_TIMEOUT_MILLIS);
          if (got == null) {
            continue;
          }
          for (PGNotification n : got) {
            if (key.equals(n.getParameter())) {
              signal();
              break;
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          break;
        }
        if (state != State.LOST) {
          lostAt = System.nanoTime();
          state = State.LOST;
        }
        log.warn("LISTEN connection for {} failed; polling until it is back (retry in {} ms): {}", key, backoff,
            e.toString());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          break;
        }
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(LISTEN_TIMEOUT_MILLIS * 4L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
