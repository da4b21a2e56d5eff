package dev.dlq;

import dev.dlq.internal.json.DeadLetterReader;
import dev.dlq.internal.json.DeadLetterWriter;

/**
 * The one JSON form of a dead letter, shared by every backend (docs/dead-letter-format.md). The
 * payload travels as base64 so that it comes back byte-exact; times are ISO-8601 UTC.
 *
 * <p>Thread-safe.
 */
public final class DeadLetterJson {
  /** The value of the {@code format} field this version writes. */
  public static final String FORMAT = "dlq.dead-letter/1";

  private DeadLetterJson() {}

  /**
   * {@code deadLetter} as UTF-8 JSON.
   *
   * @param deadLetter the dead letter
   * @return the JSON bytes
   */
  public static byte[] toJson(DeadLetter deadLetter) {
    return DeadLetterWriter.write(deadLetter, null);
  }

  /**
   * {@code stored} as UTF-8 JSON: the dead letter plus its status, counts and lineage.
   *
   * @param stored the stored dead letter
   * @return the JSON bytes
   */
  public static byte[] toJson(StoredDeadLetter stored) {
    return DeadLetterWriter.write(stored.deadLetter(), stored);
  }

  /**
   * Parses what {@link #toJson(DeadLetter)} wrote.
   *
   * @param json UTF-8 JSON
   * @return the dead letter
   * @throws InvalidMessageException when the input is not a dead letter of a known format
   */
  public static DeadLetter fromJson(byte[] json) {
    return DeadLetterReader.read(json);
  }

  /**
   * Parses what {@link #toJson(StoredDeadLetter)} wrote.
   *
   * @param json UTF-8 JSON
   * @return the stored dead letter
   * @throws InvalidMessageException when the input is not a stored dead letter of a known format
   */
  public static StoredDeadLetter storedFromJson(byte[] json) {
    return DeadLetterReader.readStored(json);
  }
}
