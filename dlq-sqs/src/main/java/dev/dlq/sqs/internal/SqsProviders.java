package dev.dlq.sqs.internal;

import dev.dlq.DlqException;
import dev.dlq.sqs.SqsClients;
import dev.dlq.sqs.SqsDeadLetterSink;
import dev.dlq.sqs.SqsSource;
import dev.dlq.spi.DeadLetterSink;
import dev.dlq.spi.DeadLetterSinkProvider;
import dev.dlq.spi.Settings;
import dev.dlq.spi.Source;
import dev.dlq.spi.SourceProvider;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The "sqs" providers. Settings (docs/sqs.md): {@code client} (a ready SqsClient; otherwise one is
 * built from {@code endpoint}, {@code region} (default: AWS_REGION, else us-east-1) and, if given,
 * {@code accessKeyId} / {@code secretAccessKey}); sources: {@code queueUrl} or {@code queue} (a name),
 * {@code type} (default type), {@code lease} (default 30s), {@code settleConcurrency} (default 2),
 * {@code receiveConcurrency} (default 2),
 * {@code completion} (sync or async, default sync);
 * sinks: {@code dlqUrl} or {@code dlq} (a name).
 */
public final class SqsProviders {
  private SqsProviders() {}

  /** The client named by the settings, and whether we made it (and so close it). */
  record Client(SqsClient client, boolean ours) {}

  static Client client(Settings s) {
    Optional<SqsClient> given = s.object("client", SqsClient.class);
    if (given.isPresent()) {
      return new Client(given.get(), false);
    }
    String region = s.get("region").orElseGet(() -> {
      String env = System.getenv("AWS_REGION");
      return env != null && !env.isBlank() ? env : "us-east-1";
    });
    String endpoint = s.get("endpoint").orElse(null);
    try {
      Optional<String> key = s.get("accessKeyId");
      if (key.isPresent()) {
        return new Client(SqsClients.create(endpoint, region, key.get(), s.require("secretAccessKey")), true);
      }
      return new Client(SqsClients.create(endpoint, region), true);
    } catch (IllegalArgumentException e) {
      throw new DlqException("provider '" + s.provider() + "': " + e.getMessage(), e);
    }
  }

  /** The URL under {@code urlKey}, or the URL of the queue named under {@code nameKey}. */
  static String queueUrl(Settings s, SqsClient client, String urlKey, String nameKey) {
    Optional<String> url = s.get(urlKey);
    if (url.isPresent()) {
      return url.get();
    }
    Optional<String> name = s.get(nameKey);
    if (name.isEmpty()) {
      throw new DlqException("setting '" + urlKey + "' or '" + nameKey + "' is required by provider '" + s.provider()
          + "' (given: " + new java.util.TreeSet<>(s.keys()) + ")");
    }
    try {
      return client.getQueueUrl(b -> b.queueName(name.get())).queueUrl();
    } catch (SdkException e) {
      throw new DlqException("provider '" + s.provider() + "': no URL for queue '" + name.get() + "': " + e.getMessage(), e);
    }
  }

  private static <T> T closingOnError(Client c, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (RuntimeException e) {
      if (c.ours()) {
        c.client().close();
      }
      throw e instanceof IllegalArgumentException ? new DlqException(e.getMessage(), e) : e;
    }
  }

  /** Sources over an SQS queue. */
  public static final class Sources implements SourceProvider {
    @Override
    public String name() {
      return "sqs";
    }

    @Override
    public Source create(Settings s) {
      Client c = client(s);
      return closingOnError(c, () -> {
        SqsSource.Builder b = SqsSource.builder(c.client(), queueUrl(s, c.client(), "queueUrl", "queue"))
            .lease(s.getDuration("lease", Duration.ofSeconds(30)))
            .settleConcurrency(s.getInt("settleConcurrency", 2))
            .receiveConcurrency(s.getInt("receiveConcurrency", 2))
            .closeClient(c.ours());
        s.get("type").ifPresent(b::defaultType);
        String completion = s.get("completion", "sync").trim().toUpperCase(java.util.Locale.ROOT);
        if (!completion.equals("SYNC") && !completion.equals("ASYNC")) {
          throw new DlqException("setting 'completion' of provider '" + s.provider() + "' must be sync or async but was '"
              + s.get("completion", "") + "'");
        }
        b.completion(SqsSource.Completion.valueOf(completion));
        return b.build();
      });
    }
  }

  /** Sinks to an SQS dead-letter queue. */
  public static final class Sinks implements DeadLetterSinkProvider {
    @Override
    public String name() {
      return "sqs";
    }

    @Override
    public DeadLetterSink create(Settings s) {
      Client c = client(s);
      return closingOnError(c, () -> SqsDeadLetterSink.builder(c.client(), queueUrl(s, c.client(), "dlqUrl", "dlq"))
          .closeClient(c.ours()).build());
    }
  }
}
