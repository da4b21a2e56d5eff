package dev.dlq.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens the server accepts, each with a name (the audit operator) and a role. Secrets
 * are kept only as SHA-256 digests and compared in constant time, every token every time, so the
 * answer's timing says nothing about which one nearly matched.
 */
final class Tokens {
  private static final int MIN_SECRET = 8;

  private record Entry(String name, AdminServer.Role role, byte[] digest) {}

  private final List<Entry> entries = new ArrayList<>();

  Tokens copy() {
    Tokens t = new Tokens();
    t.entries.addAll(entries);
    return t;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  void add(String name, AdminServer.Role role, String secret) {
    String n = Text.clean(name, 64);
    if (n.isEmpty() || !n.equals(name) || name.contains(":")) {
      throw new IllegalArgumentException("a token name must be 1 to 64 printable characters without ':' but was '"
          + Text.clean(name, 64) + "'");
    }
    if (role == null) {
      throw new IllegalArgumentException("token '" + name + "' needs a role (viewer, operator or admin)");
    }
    if (secret == null || secret.length() < MIN_SECRET || secret.isBlank()) {
      throw new IllegalArgumentException("the secret of token '" + name + "' must be at least " + MIN_SECRET
          + " characters");
    }
    if (entries.stream().anyMatch(e -> e.name.equals(name))) {
      throw new IllegalArgumentException("two tokens are named '" + name + "'");
    }
    entries.add(new Entry(name, role, sha256(secret)));
  }

  /** {@code name:role:secret}; a value without ':' is one admin token named "admin" (the old --token T). */
  void addSpec(String spec) {
    int first = spec.indexOf(':');
    if (first < 0) {
      add("admin", AdminServer.Role.ADMIN, spec);
      return;
    }
    int second = spec.indexOf(':', first + 1);
    if (second < 0) {
      throw new IllegalArgumentException("a token is name:role:secret (role viewer, operator or admin) or a bare"
          + " secret, but '" + Text.clean(spec.substring(0, first), 64) + ":…' has two parts");
    }
    add(spec.substring(0, first), AdminServer.Role.parse(spec.substring(first + 1, second)), spec.substring(second + 1));
  }

  /** One {@code name:role:secret} a line; blank lines and lines starting with # are skipped. */
  void addFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the tokens file " + file + ": " + e.getMessage());
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.indexOf(':') < 0) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected name:role:secret");
      }
      try {
        addSpec(line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
  }

  /** The caller whose token this is, looked up in constant time over all tokens. */
  Optional<Caller> find(String presented) {
    byte[] digest = sha256(presented);
    Entry found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest, digest) & found == null) {
        found = e;
      }
    }
    return found == null ? Optional.empty() : Optional.of(new Caller(found.name, found.role));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
