package dev.dlq.internal;

import dev.dlq.Attempt;
import dev.dlq.DeadLetter;
import dev.dlq.Message;
import dev.dlq.RecordResult;
import dev.dlq.Worker.CircuitState;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DlqGauge;
import dev.dlq.spi.DlqObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to several observers; an observer that throws is logged and skipped. */
public final class Observers implements DlqObserver {
  private static final Logger log = LoggerFactory.getLogger(Observers.class);
  private final DlqObserver[] all;

  private Observers(DlqObserver[] all) {
    this.all = all;
  }

  /** One observer over {@code observers}; NONE when empty, the observer itself when one, wrapped so it cannot throw. */
  public static DlqObserver of(List<DlqObserver> observers) {
    List<DlqObserver> flat = new ArrayList<>();
    for (DlqObserver o : observers) {
      Checks.notNull(o, "observer");
      if (o instanceof Observers many) {
        flat.addAll(List.of(many.all));
      } else if (o != DlqObserver.NONE) {
        flat.add(o);
      }
    }
    return flat.isEmpty() ? DlqObserver.NONE : new Observers(flat.toArray(new DlqObserver[0]));
  }

  private void each(Consumer<DlqObserver> event) {
    for (DlqObserver o : all) {
      try {
        event.accept(o);
      } catch (RuntimeException e) {
        log.warn("observer {} threw; ignoring it for this event", o, e);
      }
    }
  }

  @Override
  public void succeeded(Message message, Duration took) {
    for (DlqObserver o : all) { // the hot path: no lambda
      try {
        o.succeeded(message, took);
      } catch (RuntimeException e) {
        log.warn("observer {} threw; ignoring it for this event", o, e);
      }
    }
  }

  @Override
  public void retried(Message message, Attempt failed, Duration delay) {
    each(o -> o.retried(message, failed, delay));
  }

  @Override
  public void deadLettered(DeadLetter deadLetter, RecordResult result, Duration took) {
    each(o -> o.deadLettered(deadLetter, result, took));
  }

  @Override
  public void released(Message message) {
    each(o -> o.released(message));
  }

  @Override
  public void settleFailed(Message message, String action, RuntimeException error) {
    each(o -> o.settleFailed(message, action, error));
  }

  @Override
  public void pollFailed(String source, RuntimeException error) {
    each(o -> o.pollFailed(source, error));
  }

  @Override
  public void circuitChanged(String workerId, String source, CircuitState state) {
    each(o -> o.circuitChanged(workerId, source, state));
  }

  @Override
  public void replayed(String store, long count) {
    each(o -> o.replayed(store, count));
  }

  @Override
  public void replayProgress(dev.dlq.ReplayJob job) {
    each(o -> o.replayProgress(job));
  }

  @Override
  public void publishFailed(DeadLetter deadLetter, RuntimeException error) {
    each(o -> o.publishFailed(deadLetter, error));
  }

  @Override
  public AutoCloseable gauge(DlqGauge gauge, List<String> labelValues, DoubleSupplier value) {
    List<AutoCloseable> handles = new ArrayList<>(all.length);
    each(o -> handles.add(o.gauge(gauge, labelValues, value)));
    return () -> {
      for (AutoCloseable h : handles) {
        try {
          h.close();
        } catch (Exception e) {
          log.debug("closing a gauge handle failed", e);
        }
      }
    };
  }

  @Override
  public String toString() {
    return "Observers" + List.of(all);
  }
}
