package dev.dlq.internal.replay;

import dev.dlq.AuditEntry;
import dev.dlq.DeadLetterStatus;
import dev.dlq.EditNotAllowedException;
import dev.dlq.EditedReplay;
import dev.dlq.Message;
import dev.dlq.ReplayEdit;
import dev.dlq.StoredDeadLetter;
import dev.dlq.spi.DlqObserver;
import dev.dlq.spi.ReplayStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Edit and replay, written once for every store: checks the type is allowed, builds the corrected
 * copy (a lineage child with its own id), diffs it against the original, has the store mark the dead
 * letter REPLAYED and send the copy in one step ({@link ReplayStore#replayCopy}), then audits the diff.
 */
public final class Edits {
  /** Allows edits of every type. */
  public static final String ANY_TYPE = "*";

  private Edits() {}

  /** The runner's edit settings: the types it allows and what the audited diff hides. */
  public record Policy(Set<String> allowed, dev.dlq.DeadLetterFormat redaction) {}

  public static EditedReplay run(ReplayStore store, ReplayEdit edit, Policy policy, DlqObserver observer, Clock clock) {
    Set<String> allowed = policy.allowed();
    StoredDeadLetter s = store.get(edit.deadLetterId()).orElseThrow(() ->
        new IllegalArgumentException("unknown dead letter '" + edit.deadLetterId() + "'; nothing was changed"));
    Message original = s.deadLetter().message();
    if (!allowed.contains(ANY_TYPE) && !allowed.contains(original.type())) {
      throw new EditNotAllowedException(original.type(), allowed);
    }
    if (s.status() != DeadLetterStatus.PENDING) {
      throw new IllegalStateException("dead letter '" + s.id() + "' is " + s.status()
          + "; only PENDING dead letters can be edited and replayed");
    }
    Map<String, String> headers = new LinkedHashMap<>(original.headers());
    edit.removeHeaders().forEach(headers::remove);
    headers.putAll(edit.setHeaders());
    byte[] payload = edit.payload().orElseGet(original::payload);
    List<String> changes = EditDiff.of(policy.redaction(), original.headers(), headers, original.payload(), payload);
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("the edit changes nothing in dead letter '" + s.id()
          + "' (to replay it as is, use replay)");
    }
    String replayId = UUID.randomUUID().toString();
    headers.put(ReplayEdit.PARENT_HEADER, s.id());
    headers.put(ReplayEdit.REPLAY_HEADER, replayId);
    Message copy = new Message(original.id() + "~edit~" + replayId, original.type(), payload, headers,
        original.source(), 1, original.firstSeen());
    if (store.replayCopy(s.id(), copy, replayId, edit.operator()) != ReplayStore.Outcome.SENT) {
      throw new IllegalStateException("dead letter '" + s.id() + "' was not replayed: it is no longer PENDING, or"
          + " its source " + original.source() + " cannot be reached from this store");
    }
    StringBuilder detail = new StringBuilder("replayId=").append(replayId).append(", copy=").append(copy.id());
    if (!edit.note().isEmpty()) {
      detail.append(", note=").append(EditDiff.cut(edit.note()));
    }
    detail.append("; diff: ").append(String.join("; ", changes));
    store.appendAudit(new AuditEntry(clock.instant(), edit.operator(), "edit-replay", s.id(), 1, detail.toString()));
    observer.replayed(store.label(), 1);
    return new EditedReplay(replayId, s.id(), copy, changes);
  }
}
