package dev.dlq.internal;

import dev.dlq.spi.Checks;
import dev.dlq.DlqException;
import dev.dlq.ErrorClassifier;
import dev.dlq.internal.classify.DefaultClassifier;
import dev.dlq.spi.DeadLetterSinkProvider;
import dev.dlq.spi.DeadLetterStoreProvider;
import dev.dlq.spi.SourceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/** The one class in dlq that calls {@link ServiceLoader#load}. */
public final class Providers {
  private static volatile ErrorClassifier defaultClassifier;

  private Providers() {}

  public static SourceProvider source(String name) {
    return find(SourceProvider.class, name, SourceProvider::name, ServiceLoader.load(SourceProvider.class));
  }

  public static DeadLetterSinkProvider sink(String name) {
    return find(DeadLetterSinkProvider.class, name, DeadLetterSinkProvider::name,
        ServiceLoader.load(DeadLetterSinkProvider.class));
  }

  public static DeadLetterStoreProvider store(String name) {
    return find(DeadLetterStoreProvider.class, name, DeadLetterStoreProvider::name,
        ServiceLoader.load(DeadLetterStoreProvider.class));
  }

  /** The names of every provider of {@code kind} on the module or class path. */
  public static List<String> names(Class<?> kind) {
    List<String> names = new ArrayList<>();
    for (Object p : ServiceLoader.load(kind)) {
      if (p instanceof SourceProvider s) {
        names.add(s.name());
      } else if (p instanceof DeadLetterSinkProvider s) {
        names.add(s.name());
      } else if (p instanceof DeadLetterStoreProvider s) {
        names.add(s.name());
      }
    }
    return names;
  }

  public static ErrorClassifier defaultClassifier() {
    ErrorClassifier c = defaultClassifier;
    if (c == null) {
      List<ErrorClassifier> all = new ArrayList<>();
      ServiceLoader.load(ErrorClassifier.class).forEach(all::add);
      all.add(DefaultClassifier.INSTANCE);
      c = all.size() == 1 ? DefaultClassifier.INSTANCE : ErrorClassifier.chain(all);
      defaultClassifier = c;
    }
    return c;
  }

  private static <P> P find(Class<P> kind, String name, Function<P, String> nameOf, ServiceLoader<P> loader) {
    Checks.notBlank(name, "name");
    List<P> matches = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    for (P p : loader) {
      String n = nameOf.apply(p);
      seen.add(n + " (" + p.getClass().getName() + ")");
      if (name.equals(n)) {
        matches.add(p);
      }
    }
    if (matches.isEmpty()) {
      throw new dev.dlq.ProviderNotFoundException("no " + kind.getSimpleName() + " named '" + name + "' was found; found: "
          + (seen.isEmpty() ? "none" : String.join(", ", seen))
          + ". Is the backend module (dlq-" + name + ") on the module or class path?", kind.getSimpleName(), name,
          new ArrayList<>(seen));
    }
    if (matches.size() > 1) {
      List<String> classes = new ArrayList<>();
      matches.forEach(m -> classes.add(m.getClass().getName()));
      throw new dev.dlq.ProviderNotFoundException("several " + kind.getSimpleName() + "s are named '" + name + "': "
          + classes + "; keep one of them on the path", kind.getSimpleName(), name, new ArrayList<>(seen));
    }
    return matches.get(0);
  }
}
