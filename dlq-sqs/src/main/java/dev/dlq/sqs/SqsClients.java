package dev.dlq.sqs;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SQS client dlq uses when the caller passes none: the synchronous client on the JDK's
 * HTTP transport (url-connection: no Netty, no Apache client). Use it for benchmarks' raw loops too,
 * so that both sides use one transport. The caller owns and closes what it returns.
 *
 * <p>Thread-safe (static methods only).
 */
public final class SqsClients {
  private SqsClients() {}

  /**
   * A client for {@code region}, on {@code endpoint} when given (ElasticMQ, LocalStack), with the
   * SDK's default credentials chain.
   *
   * @param endpoint e.g. {@code http://127.0.0.1:9324}, or null for AWS's own endpoint
   * @param region e.g. {@code us-east-1}
   * @return a new client; close it yourself
   */
  public static SqsClient create(String endpoint, String region) {
    return create(endpoint, region, DefaultCredentialsProvider.builder().build());
  }

  /**
   * As {@link #create(String, String)}, with static credentials (for local servers, any non-empty pair).
   *
   * @param endpoint e.g. {@code http://127.0.0.1:9324}, or null for AWS's own endpoint
   * @param region e.g. {@code us-east-1}
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret access key
   * @return a new client; close it yourself
   */
  public static SqsClient create(String endpoint, String region, String accessKeyId, String secretAccessKey) {
    return create(endpoint, region, StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
  }

  /**
   * As {@link #create(String, String)}, with {@code credentials}.
   *
   * @param endpoint e.g. {@code http://127.0.0.1:9324}, or null for AWS's own endpoint
   * @param region e.g. {@code us-east-1}
   * @param credentials where credentials come from
   * @return a new client; close it yourself
   */
  public static SqsClient create(String endpoint, String region, AwsCredentialsProvider credentials) {
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("region must not be blank");
    }
    var b = SqsClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null && !endpoint.isBlank()) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("endpoint must be a URI such as http://127.0.0.1:9324 but was '" + endpoint + "'", e);
      }
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("endpoint must be a URI such as http://127.0.0.1:9324 but was '" + endpoint + "'");
      }
      b.endpointOverride(uri);
    }
    return b.build();
  }
}
