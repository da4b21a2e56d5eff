package dev.dlq.spring;

import dev.dlq.postgres.PostgresDeadLetterStore;
import dev.dlq.postgres.PostgresQueue;
import dev.dlq.postgres.PostgresSchema;
import dev.dlq.spi.Checks;
import dev.dlq.spi.DlqObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's dlq queues over its {@link DataSource}, one {@link PostgresQueue} per name,
 * configured from {@code dlq.queues.<name>.*} (a name not configured gets the defaults), and the
 * dead-letter store of their schema. Creating it migrates the schema when
 * {@code dlq.postgres.migrate=true}, else verifies it. Thread-safe.
 */
public final class DlqQueues {
  private static final Logger log = LoggerFactory.getLogger(DlqQueues.class);

  private final DataSource dataSource;
  private final DlqProperties properties;
  private final Map<String, PostgresQueue> queues = new ConcurrentHashMap<>();
  private final PostgresDeadLetterStore store;
  private final DlqObserver observer;

  /**
   * Migrates or verifies the schema, then makes the queues.
   *
   * @param dataSource the application's data source
   * @param properties the {@code dlq.*} settings
   * @param observers hear replays, dead-letter gauges and every worker's events (the Micrometer
   *     metrics among them)
   * @throws dev.dlq.SchemaMissingException when the schema is not migrated and migrate is off
   * @throws IllegalArgumentException when the schema is not a plain identifier
   */
  public DlqQueues(DataSource dataSource, DlqProperties properties, List<DlqObserver> observers) {
    this.dataSource = Checks.notNull(dataSource, "dataSource");
    this.properties = Checks.notNull(properties, "properties");
    this.observer = DlqObserver.of(Checks.notNull(observers, "observers").toArray(new DlqObserver[0]));
    String schema = properties.getPostgres().getSchema();
    if (properties.getPostgres().isMigrate()) {
      List<String> applied = PostgresSchema.migrate(dataSource, schema);
      log.info("dlq: schema {} migrated ({} script(s) applied)", schema, applied.size());
    } else {
      PostgresSchema.verify(dataSource, schema);
    }
    this.store = PostgresDeadLetterStore.builder(dataSource).schema(schema).observer(observer).build();
    properties.getQueues().keySet().forEach(this::queue);
  }

  /**
   * The queue called {@code name}, made on first use.
   *
   * @param name the queue's name
   * @return the queue
   * @throws IllegalArgumentException when {@code name} is blank
   */
  public PostgresQueue queue(String name) {
    Checks.notBlank(name, "queue");
    return queues.computeIfAbsent(name, n -> PostgresQueue.builder(dataSource, n)
        .schema(properties.getPostgres().getSchema()).lease(settings(n).getLease()).build());
  }

  /**
   * The names of the queues made so far (configured, or used by a processor or the outbox).
   *
   * @return the names, sorted
   */
  public Set<String> names() {
    return new TreeSet<>(queues.keySet());
  }

  /**
   * The settings of queue {@code name}: {@code dlq.queues.<name>.*}, or the defaults.
   *
   * @param name the queue's name
   * @return its settings
   */
  public DlqProperties.Queue settings(String name) {
    return properties.getQueues().getOrDefault(name, new DlqProperties.Queue());
  }

  /**
   * The dead-letter store of the queues' schema: find, replay, resolve, discard.
   *
   * @return the store
   */
  public PostgresDeadLetterStore deadLetterStore() {
    return store;
  }

  /**
   * The observers every worker and the store report to.
   *
   * @return one observer calling each of them
   */
  public DlqObserver observer() {
    return observer;
  }

  /**
   * The data source the queues use.
   *
   * @return the application's data source
   */
  public DataSource dataSource() {
    return dataSource;
  }
}
