package dev.dlq.spring;

import dev.dlq.InvalidMessageException;
import dev.dlq.Message;
import dev.dlq.Outcome;
import dev.dlq.Processor;
import java.util.Map;
import java.util.TreeSet;

/** One queue's processor: the {@link DlqProcessor} bean of the message's type; an unknown type is INVALID. */
final class TypeDispatch implements Processor {
  private final String queue;
  private final Map<String, Processor> byType;

  TypeDispatch(String queue, Map<String, Processor> byType) {
    this.queue = queue;
    this.byType = Map.copyOf(byType);
  }

  @Override
  public Outcome process(Message message) throws Exception {
    Processor p = byType.get(message.type());
    if (p == null) {
      throw new InvalidMessageException("no processor for type " + message.type() + " on queue " + queue
          + "; types with a @DlqProcessor: " + new TreeSet<>(byType.keySet()));
    }
    return p.process(message);
  }
}
