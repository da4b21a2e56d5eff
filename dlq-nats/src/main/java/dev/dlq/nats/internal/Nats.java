package dev.dlq.nats.internal;

import dev.dlq.DlqException;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Options;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.support.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connections, stream creation and the small naming rules every part shares. */
public final class Nats {
  private static final Logger log = LoggerFactory.getLogger(Nats.class);
  static final int STREAM_NOT_FOUND = 10059;

  private Nats() {}

  /** A connection to {@code servers} (comma-separated URLs) whose pull-status chatter goes to slf4j at debug. */
  public static Connection connect(String servers, String name) {
    Options options = new Options.Builder()
        .servers(servers.split("\\s*,\\s*"))
        .connectionName(name)
        .errorListener(new QuietListener())
        .maxReconnects(-1)
        .build();
    try {
      return io.nats.client.Nats.connect(options);
    } catch (IOException e) {
      throw new DlqException("could not connect to NATS at " + servers + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DlqException("interrupted while connecting to NATS at " + servers, e);
    }
  }

  /** Creates the stream when it does not exist; leaves an existing one as it is. */
  static StreamInfo ensureStream(JetStreamManagement jsm, StreamConfiguration config) {
    try {
      return jsm.getStreamInfo(config.getName());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw failure("look up stream " + config.getName(), e);
      }
    } catch (IOException e) {
      throw failure("look up stream " + config.getName(), e);
    }
    try {
      log.info("creating JetStream stream {} on {}", config.getName(), config.getSubjects());
      return jsm.addStream(config);
    } catch (JetStreamApiException e) {
      try { // created concurrently by another process?
        return jsm.getStreamInfo(config.getName());
      } catch (IOException | JetStreamApiException again) {
        throw failure("create stream " + config.getName(), e);
      }
    } catch (IOException e) {
      throw failure("create stream " + config.getName(), e);
    }
  }

  /** A DlqException that keeps the vendor exception as its cause. */
  static DlqException failure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    String message = "NATS: could not " + what + ": " + e.getMessage();
    return e instanceof java.io.IOException || e instanceof java.util.concurrent.TimeoutException
        ? new dev.dlq.StoreUnavailableException("nats", message, e) : new DlqException(message, e);
  }

  /** A stream or consumer name from free text: letters, digits, '-' and '_' only. */
  static String name(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_') ? c : '_');
    }
    return sb.toString();
  }

  /** The default DLQ stream of {@code prefix}: "sahool" gives "SAHOOL_DLQ". */
  static String dlqStreamFor(String prefix) {
    return name(prefix).toUpperCase(Locale.ROOT) + "_DLQ";
  }

  /** A message type as subject tokens: no spaces or wildcards, no empty tokens. */
  static String subjectTokens(String type) {
    StringBuilder sb = new StringBuilder(type.length());
    boolean dot = true;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c == '.') {
        if (!dot) {
          sb.append('.');
          dot = true;
        }
        continue;
      }
      sb.append(c <= ' ' || c == '*' || c == '>' || c > 126 ? '_' : c);
      dot = false;
    }
    int n = sb.length();
    if (n > 0 && sb.charAt(n - 1) == '.') {
      sb.setLength(n - 1);
    }
    return sb.length() == 0 ? "_" : sb.toString();
  }

  /** {@code text} as one line of printable ASCII of at most {@code max} characters (a header value). */
  static String ascii(String text, int max) {
    int n = Math.min(text.length(), max);
    StringBuilder sb = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 32 || c > 126) {
        if (sb == null) {
          sb = new StringBuilder(n).append(text, 0, i);
        }
        sb.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '?');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb != null ? sb.toString() : n == text.length() ? text : text.substring(0, n);
  }

  /** Pull requests that expire or find nothing are normal for a worker: keep them out of the warnings. */
  public static final class QuietListener implements ErrorListener {
    @Override
    public void pullStatusWarning(Connection conn, JetStreamSubscription sub, Status status) {
      log.trace("pull status {} on {}", status, sub);
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
      log.warn("NATS error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
      log.warn("NATS exception", exp);
    }
  }

  static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
