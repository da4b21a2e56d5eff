package dev.dlq.admin;

import com.sun.net.httpserver.HttpExchange;
import dev.dlq.EditNotAllowedException;
import dev.dlq.EditedReplay;
import dev.dlq.ReplayEdit;
import dev.dlq.ReplayRunner;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/dead-letters/{id}/edit-replay}: replays a corrected copy of one PENDING dead letter
 * ({@link ReplayRunner#editAndReplay}). The body is read strictly:
 *
 * <pre>
 * {"payload": {...} | [...] | "text",   the new payload: JSON as is, or a string's UTF-8 bytes
 *  "payloadBase64": "...",              or the new payload's bytes (not both)
 *  "headers": {"k": "v"},               headers to add or overwrite
 *  "removeHeaders": ["k"],              headers to remove
 *  "note": "why"}                       kept in the audit entry
 * </pre>
 *
 * 403 when the type may not be edited (edits are off unless the server allows the type), 409 when
 * the dead letter is no longer PENDING, 400 for a bad body or an edit that changes nothing.
 */
final class EditReplays {
  static final Set<String> KEYS = Set.of("payload", "payloadBase64", "headers", "removeHeaders", "note");
  static final int MAX_HEADERS = 100;

  private EditReplays() {}

  static void handle(HttpExchange ex, Caller caller, ReplayRunner runner, String id) throws Exception {
    caller.require(AdminServer.Role.OPERATOR, "edit and replay");
    if (runner == null) {
      throw new HttpError(501, "this store cannot edit and replay");
    }
    ReplayEdit edit = parse(Body.raw(Http.body(ex), KEYS), id, caller.name());
    EditedReplay r;
    try {
      r = runner.editAndReplay(edit);
    } catch (EditNotAllowedException e) {
      throw new HttpError(403, e.getMessage() + " (edits are allowed per message type when the server starts: "
          + "dlq serve --allow-edits " + e.type() + ", DLQ_ALLOW_EDITS, or AdminServer.Builder.allowEdits)");
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    }
    JsonArrayBuilder changes = Json.createArrayBuilder();
    r.changes().forEach(changes::add);
    Http.json(ex, 200, Json.createObjectBuilder().add("replayId", r.replayId()).add("deadLetterId", r.deadLetterId())
        .add("copyId", r.copy().id()).add("changes", changes).build().toString());
  }

  static ReplayEdit parse(JsonObject o, String id, String operator) {
    ReplayEdit.Builder b = ReplayEdit.builder(id, operator);
    if (o.containsKey("payload") && o.containsKey("payloadBase64")) {
      throw HttpError.badRequest("give \"payload\" or \"payloadBase64\", not both");
    }
    JsonValue p = o.get("payload");
    if (p instanceof JsonString s) {
      b.payload(s.getString().getBytes(StandardCharsets.UTF_8));
    } else if (p instanceof JsonObject || p instanceof JsonArray) {
      b.payload(p.toString().getBytes(StandardCharsets.UTF_8));
    } else if (p != null) {
      throw HttpError.badRequest("payload must be a JSON object, an array or a string");
    }
    JsonValue p64 = o.get("payloadBase64");
    if (p64 != null) {
      if (!(p64 instanceof JsonString s)) {
        throw HttpError.badRequest("payloadBase64 must be a string");
      }
      try {
        b.payload(Base64.getDecoder().decode(s.getString()));
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("payloadBase64 is not valid base64");
      }
    }
    JsonValue h = o.get("headers");
    if (h != null) {
      if (!(h instanceof JsonObject ho) || ho.size() > MAX_HEADERS) {
        throw HttpError.badRequest("headers must be an object of at most " + MAX_HEADERS + " string values");
      }
      for (Map.Entry<String, JsonValue> e : ho.entrySet()) {
        if (!(e.getValue() instanceof JsonString s)) {
          throw HttpError.badRequest("headers." + Text.clean(e.getKey(), 64) + " must be a string");
        }
        b.header(headerName(e.getKey()), s.getString());
      }
    }
    JsonValue rm = o.get("removeHeaders");
    if (rm != null) {
      if (!(rm instanceof JsonArray ra) || ra.size() > MAX_HEADERS) {
        throw HttpError.badRequest("removeHeaders must be an array of at most " + MAX_HEADERS + " strings");
      }
      for (JsonValue v : ra) {
        if (!(v instanceof JsonString s)) {
          throw HttpError.badRequest("removeHeaders must hold strings only");
        }
        b.removeHeader(headerName(s.getString()));
      }
    }
    JsonValue note = o.get("note");
    if (note != null && !(note instanceof JsonString)) {
      throw HttpError.badRequest("note must be a string");
    }
    b.note(note == null ? "" : Text.clean(((JsonString) note).getString(), 1000));
    return b.build(); // IllegalArgumentException (400) when it changes nothing or names a dlq- header
  }

  private static String headerName(String k) {
    if (k.isBlank() || k.length() > 256 || Text.hasUnsafe(k)) {
      throw HttpError.badRequest("a header name must be 1 to 256 printable characters");
    }
    return k;
  }
}
