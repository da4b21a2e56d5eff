package dev.dlq.sqs.internal;

import dev.dlq.DeadLetter;
import dev.dlq.DlqException;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresTask;
import dev.dlq.spi.DeadLetterSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The receiving side of {@link dev.dlq.sqs.SqsTaskSource}: SQS messages carry task ids, PostgreSQL
 * decides. An invalid message is deleted at once; a task that cannot be claimed leaves its message
 * in SQS (it comes back when its visibility ends); a claimed one becomes a {@link TaskDelivery}.
 * Thread-safe.
 */
public final class TaskConsumer {
  private static final Logger log = LoggerFactory.getLogger(TaskConsumer.class);
  private static final int MAX_ID_LENGTH = 256;

  public final PostgresQueue tasks;
  final String owner;
  /** The worker's observer, set when it opens the source. */
  volatile dev.dlq.spi.DlqObserver observer = dev.dlq.spi.DlqObserver.NONE;
  private volatile int backstop;
  final boolean deleteOnReschedule;
  private final SqsClient client;
  private final String queueUrl;
  private final String name;
  private final QueueOps ops;
  private final Receiver receiver;
  private final DeadLetterSink publisher;
  private final Duration lease;
  private final Duration reapInterval;
  private final AutoCloseable onClose;
  private final Set<TaskDelivery> outstanding = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService reaper;
  private volatile boolean closed;

  public TaskConsumer(SqsClient client, String queueUrl, String name, PostgresQueue tasks, String owner,
      DeadLetterSink publisher, Duration lease, boolean deleteOnReschedule, Duration reapInterval,
      int settleConcurrency, AutoCloseable onClose) {
    this.client = client;
    this.queueUrl = queueUrl;
    this.name = name;
    this.tasks = tasks;
    this.owner = owner;
    this.publisher = publisher;
    this.lease = lease;
    this.deleteOnReschedule = deleteOnReschedule;
    this.reapInterval = reapInterval;
    this.ops = new QueueOps(client, queueUrl, settleConcurrency);
    this.receiver = new Receiver(client, queueUrl, name);
    this.onClose = onClose;
  }

  /** Binds the worker's observer and crash backstop (0: the task's own budget). */
  public void bind(dev.dlq.spi.DlqObserver observer, int backstop) {
    this.observer = observer;
    this.backstop = backstop;
  }

  public String name() {
    return name;
  }

  public Duration lease() {
    return lease;
  }

  public List<TaskDelivery> poll(int max, Duration wait) throws InterruptedException {
    if (closed) {
      throw new IllegalStateException("source " + name + " is closed");
    }
    startReaper();
    Receiver.Received r = receiver.receive(max, wait, (int) lease.toSeconds());
    List<TaskDelivery> out = new ArrayList<>(r.messages().size());
    RuntimeException claimError = null;
    for (Message m : r.messages()) {
      String taskId = taskId(m);
      Held held = new Held(ops, m.receiptHandle(), r.sentAtNanos(), lease, "task message " + m.messageId() + " of " + name);
      if (taskId == null) {
        log.warn("deleting SQS message {} of {}: it carries no task id (body {} chars)", m.messageId(), name,
            m.body() == null ? 0 : m.body().length());
        try {
          held.delete();
        } catch (RuntimeException e) {
          log.warn("could not delete invalid message {} of {}; it comes back", m.messageId(), name, e);
        }
        continue;
      }
      if (claimError != null) {
        continue; // the database is failing: leave the rest in SQS, they come back with their visibility
      }
      Optional<PostgresTask> task;
      try {
        task = tasks.claim(taskId, owner, lease, backstop);
      } catch (RuntimeException e) {
        claimError = e;
        continue;
      }
      if (task.isEmpty()) {
        // not claimable now (held by another worker, finished, dead or unknown): keep the message; SQS redelivers it
        log.debug("task {} of {} could not be claimed; its message stays", taskId, name);
        continue;
      }
      TaskDelivery d = new TaskDelivery(this, held, task.get());
      outstanding.add(d);
      out.add(d);
    }
    if (out.isEmpty() && claimError != null) {
      throw new DlqException("could not claim tasks of " + tasks + " for " + name + ": " + claimError.getMessage(),
          claimError);
    }
    if (claimError != null) {
      log.warn("claiming tasks of {} failed part way; the unclaimed messages come back later", tasks, claimError);
    }
    return out;
  }

  /** The task id a message carries: its {@code dlq-id} attribute, else its body; null when it is not an id. */
  static String taskId(Message m) {
    String id = Envelope.text(m.messageAttributes().get(dev.dlq.sqs.SqsEnvelope.ID));
    if (id == null) {
      id = m.body() == null ? null : m.body().trim();
    }
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || id.startsWith("{") || id.startsWith("[")) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        return null;
      }
    }
    return id;
  }

  /** Publishes a dead task's event; a failure is counted and logged, never thrown (the database holds DEAD). */
  void publish(DeadLetter dl) {
    if (publisher == null) {
      return;
    }
    try {
      publisher.record(dl);
    } catch (RuntimeException e) {
      observer.publishFailed(dl, e);
      log.warn("task {} is DEAD in the database but its dead-letter event could not be published; deleting its SQS"
          + " message anyway", dl.message().id(), e);
    }
  }

  void settled(TaskDelivery d) {
    outstanding.remove(d);
  }

  private synchronized void startReaper() {
    if (reaper != null || reapInterval.isZero() || closed) {
      return;
    }
    reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dlq-sqs-reaper-" + name);
      t.setDaemon(true);
      return t;
    });
    long period = reapInterval.toMillis();
    reaper.scheduleWithFixedDelay(() -> {
      try {
        int n = tasks.reapExpiredLeases();
        if (n > 0) {
          log.info("returned or dead-lettered {} task(s) of {} whose lease expired", n, tasks);
        }
      } catch (RuntimeException e) {
        log.warn("reaping expired leases of {} failed", tasks, e);
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (reaper != null) {
        reaper.shutdownNow();
      }
    }
    for (TaskDelivery d : outstanding) {
      try {
        d.releaseIfUnsettled();
      } catch (RuntimeException e) {
        log.warn("could not hand back {} on close; it comes back when its lease ends", d, e);
      }
    }
    receiver.close();
    Closing.close(onClose, name);
  }
}
