package dev.dlq;

import java.util.List;

/** No backend provider, or more than one, has the name asked for; the message lists what was found. */
public class ProviderNotFoundException extends DlqException {
  private static final long serialVersionUID = 1L;
  /** The kind of provider looked for. */
  private final String kind;
  /** The name asked for. */
  private final String name;
  /** What was found, as "name (class)". */
  private final List<String> found;

  /**
   * A provider of {@code kind} named {@code name} was not found (or found several times) among {@code found}.
   *
   * @param message what went wrong and what was found
   * @param kind the kind of provider looked for
   * @param name the name asked for
   * @param found what was found, as "name (class)"; copied
   */
  public ProviderNotFoundException(String message, String kind, String name, List<String> found) {
    super(message);
    this.kind = kind;
    this.name = name;
    this.found = List.copyOf(found);
  }

  /**
   * The kind of provider: SourceProvider, DeadLetterSinkProvider or DeadLetterStoreProvider.
   *
   * @return the kind
   */
  public String kind() {
    return kind;
  }

  /**
   * The name asked for.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * What was found, as "name (class)".
   *
   * @return an immutable list, empty when no provider of that kind was found
   */
  public List<String> found() {
    return found;
  }
}
