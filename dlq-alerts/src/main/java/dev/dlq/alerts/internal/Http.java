package dev.dlq.alerts.internal;

import dev.dlq.alerts.NotificationFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** One JSON POST with a timeout; any status outside 2xx is a failure to deliver. */
public final class Http {
  private final HttpClient client;
  private final Duration timeout;

  public Http(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public void post(URI uri, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    HttpResponse<Void> res;
    try {
      res = client.send(b.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new NotificationFailedException("POST " + redacted(uri) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationFailedException("POST " + redacted(uri) + " interrupted", e);
    }
    if (res.statusCode() / 100 != 2) {
      throw new NotificationFailedException("POST " + redacted(uri) + " answered " + res.statusCode());
    }
  }

  /** Scheme, host and port only: incoming-webhook URLs carry their secret in the path. */
  public static String redacted(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/…";
  }
}
