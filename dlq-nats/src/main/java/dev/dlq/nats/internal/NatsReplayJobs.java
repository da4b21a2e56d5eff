package dev.dlq.nats.internal;

import dev.dlq.ReplayJob;
import dev.dlq.spi.ReplayJobJson;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Replay jobs in the KV bucket {@code <dlqStream>_REPLAYS}: {@code job.<id>} holds the version and
 * the job's JSON (updates are compare-and-set on the entry's revision), {@code ids.<id>.<n>} the
 * n-th chunk of its snapshot, written before the job entry so a job is never seen half made.
 * The bucket is created on first use. Thread-safe.
 */
final class NatsReplayJobs {
  private static final int CHUNK = 1000;
  private final Connection conn;
  private final String bucket;
  private volatile KeyValue kv;

  NatsReplayJobs(Connection conn, String bucket) {
    this.conn = conn;
    this.bucket = bucket;
  }

  /** The bucket, or null when it does not exist yet (reads of an unused bucket create nothing). */
  private KeyValue existing() {
    if (kv != null) {
      return kv;
    }
    try {
      conn.keyValueManagement().getStatus(bucket);
    } catch (JetStreamApiException missing) {
      return null;
    } catch (IOException e) {
      throw Nats.failure("read the replay-job bucket " + bucket, e);
    }
    return kv();
  }

  private KeyValue kv() {
    KeyValue k = kv;
    if (k != null) {
      return k;
    }
    synchronized (this) {
      if (kv == null) {
        try {
          try {
            conn.keyValueManagement().getStatus(bucket);
          } catch (JetStreamApiException missing) {
            try {
              conn.keyValueManagement().create(KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(1)
                  .storageType(StorageType.File).build());
            } catch (JetStreamApiException raced) {
              conn.keyValueManagement().getStatus(bucket); // created concurrently, or a real failure
            }
          }
          kv = conn.keyValue(bucket);
        } catch (IOException | JetStreamApiException e) {
          throw Nats.failure("open the replay-job bucket " + bucket, e);
        }
      }
      return kv;
    }
  }

  ReplayJob create(ReplayJob job, List<String> ids) {
    ReplayJob stored = job.withVersion(1);
    try {
      for (int from = 0, n = 0; from < ids.size(); from += CHUNK, n++) {
        String chunk = String.join("\n", ids.subList(from, Math.min(ids.size(), from + CHUNK)));
        kv().put("ids." + job.id() + "." + n, chunk.getBytes(StandardCharsets.UTF_8));
      }
      kv().create("job." + job.id(), encode(stored));
      return stored;
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("create replay job " + job.id(), e);
    }
  }

  Optional<ReplayJob> update(ReplayJob next) {
    try {
      KeyValueEntry e = kv().get("job." + next.id());
      if (e == null || decode(e).version() != next.version()) {
        return Optional.empty();
      }
      ReplayJob stored = next.withVersion(next.version() + 1);
      kv().update("job." + next.id(), encode(stored), e.getRevision());
      return Optional.of(stored);
    } catch (JetStreamApiException ex) {
      if (ex.getApiErrorCode() == JetStreamStore.WRONG_LAST_SEQUENCE) {
        return Optional.empty();
      }
      throw Nats.failure("update replay job " + next.id(), ex);
    } catch (IOException ex) {
      throw Nats.failure("update replay job " + next.id(), ex);
    }
  }

  Optional<ReplayJob> get(String id) {
    try {
      KeyValue k = existing();
      KeyValueEntry e = k == null ? null : k.get("job." + id);
      return e == null || e.getValue() == null ? Optional.empty() : Optional.of(decode(e));
    } catch (IOException | JetStreamApiException ex) {
      throw Nats.failure("read replay job " + id, ex);
    }
  }

  List<ReplayJob> latest(int limit) {
    List<ReplayJob> out = new ArrayList<>();
    KeyValue k = existing();
    if (k == null) {
      return List.of();
    }
    try {
      for (String key : k.keys("job.*")) {
        get(key.substring("job.".length())).ifPresent(out::add);
      }
    } catch (IOException | JetStreamApiException | InterruptedException e) {
      throw Nats.failure("list replay jobs", e);
    }
    out.sort(Comparator.comparing(ReplayJob::createdAt).thenComparing(ReplayJob::id).reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
  }

  List<String> ids(String jobId, int from, int limit) {
    List<String> out = new ArrayList<>();
    try {
      for (int n = from / CHUNK; out.size() < limit; n++) {
        KeyValueEntry e = kv().get("ids." + jobId + "." + n);
        if (e == null || e.getValue() == null) {
          break;
        }
        String[] chunk = new String(e.getValue(), StandardCharsets.UTF_8).split("\n");
        for (int i = n == from / CHUNK ? from % CHUNK : 0; i < chunk.length && out.size() < limit; i++) {
          out.add(chunk[i]);
        }
      }
      return out;
    } catch (IOException | JetStreamApiException e) {
      throw Nats.failure("read the ids of replay job " + jobId, e);
    }
  }

  private static byte[] encode(ReplayJob job) {
    return (job.version() + "\n" + ReplayJobJson.write(job)).getBytes(StandardCharsets.UTF_8);
  }

  private static ReplayJob decode(KeyValueEntry e) {
    String s = new String(e.getValue(), StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    return ReplayJobJson.read(s.substring(nl + 1), Long.parseLong(s.substring(0, nl)));
  }
}
