package dev.dlq.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dlq.DeadLetter;
import dev.dlq.DeadLetterReason;
import dev.dlq.DeadLetterStatus;
import dev.dlq.ErrorClass;
import dev.dlq.InMemory;
import dev.dlq.Message;
import dev.dlq.SourceRef;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console in a real browser: attacks from another origin refused, stored XSS inert, the main flows clicked through. */
class ConsoleBrowserIT {
  private static ChromeDriver browser;
  private static HttpServer other;
  private static final Map<String, String> PAGES = new ConcurrentHashMap<>();
  private Served s;

  @BeforeAll
  static void startBrowserAndAnotherOrigin() throws Exception {
    browser = Browser.start();
    other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    other.createContext("/", ex -> {
      byte[] page = PAGES.getOrDefault(ex.getRequestURI().getPath(), "").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(page.length == 0 ? 404 : 200, page.length == 0 ? -1 : page.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(page);
      }
    });
    other.start();
  }

  @AfterAll
  static void stopAll() {
    if (browser != null) {
      browser.quit();
    }
    if (other != null) {
      other.stop(0);
    }
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private String otherOrigin() {
    return "http://127.0.0.1:" + other.getAddress().getPort();
  }

  private WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(10));
  }

  private void assertAllPendingAndNothingSent() {
    assertThat(s.mem.store().find(dev.dlq.DeadLetterQuery.of(dev.dlq.DeadLetterFilter.all(), 100)).items())
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeadLetterStatus.PENDING));
    assertThat(s.mem.size("orders")).isZero();
    assertThat(s.mem.store().audit(10)).isEmpty();
  }

  @Test
  void aPageOnAnotherOriginCannotReplayResolveOrBulkReplay() throws Exception {
    s = Served.start(b -> {});
    String admin = s.base();
    String id1 = Fixtures.id("m-1");
    String id2 = Fixtures.id("m-2");
    PAGES.put("/attack", "<!doctype html><html><body><iframe name=sink></iframe>"
        + "<form id=f method=POST enctype=text/plain target=sink action='" + admin + "/api/dead-letters/" + id2
        + "/resolve'><input name='{\"note\":\"x\",\"a\":\"' value='\"}'></form><script>\n"
        + "(async () => {\n"
        + "  const tries = [\n"
        + "    fetch('" + admin + "/api/dead-letters/" + id1 + "/replay', {method: 'POST', mode: 'no-cors', body: '{}'}),\n"
        + "    fetch('" + admin + "/api/dead-letters/replay', {method: 'POST', mode: 'no-cors',"
        + " headers: {'Content-Type': 'text/plain'}, body: JSON.stringify({filter: {}})}),\n"
        + "    fetch('" + admin + "/api/dead-letters/replay', {method: 'POST',"
        + " headers: {'Content-Type': 'application/json', 'X-Dlq-Request': '1'}, body: JSON.stringify({filter: {}})}),\n"
        + "  ];\n"
        + "  document.getElementById('f').submit();\n"
        + "  const results = await Promise.allSettled(tries);\n"
        + "  window.results = results.map(r => r.status + ':' + (r.value ? r.value.type + r.value.status : ''));\n"
        + "  setTimeout(() => { document.title = 'done'; }, 1500);\n"
        + "})();\n</script></body></html>");
    browser.get(otherOrigin() + "/attack");
    waiting().until(ExpectedConditions.titleIs("done"));
    Browser.screenshot(browser, "csrf-attack-page");
    @SuppressWarnings("unchecked")
    List<String> results = (List<String>) browser.executeScript("return window.results");
    assertThat(results).hasSize(3);
    assertThat(results.get(2)).as("the CORS request is stopped at its preflight").startsWith("rejected");
    assertAllPendingAndNothingSent();
  }

  @Test
  void theConsoleCannotBeFramedByAnotherOrigin() throws Exception {
    s = Served.start(b -> {});
    PAGES.put("/frame", "<!doctype html><html><body><iframe id=victim width=800 height=600 src='" + s.base()
        + "/'></iframe></body></html>");
    browser.get(otherOrigin() + "/frame");
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("victim")));
    Thread.sleep(1000);
    Browser.screenshot(browser, "clickjacking-frame");
    browser.switchTo().frame("victim");
    try {
      assertThat(browser.findElements(By.id("rows"))).as("the console did not load inside the frame").isEmpty();
    } finally {
      browser.switchTo().defaultContent();
    }
  }

  @Test
  void storedMarkupInEveryFieldStaysText() throws Exception {
    String backend = "xss-" + java.util.UUID.randomUUID();
    String evil = "<img src=x onerror=\"window.__xss=1;alert(1)\"><script>window.__xss=2;alert(2)</script>";
    Message m = new Message("m-x", "order" + evil, ("{\"name\":\"" + evil.replace("\"", "\\\"") + "\"}")
        .getBytes(StandardCharsets.UTF_8), Map.of("h" + evil, "v" + evil), SourceRef.of("memory", "orders" + evil), 2,
        Instant.parse("2026-01-01T09:00:00Z"));
    InMemory.named(backend).store().record(DeadLetter.builder(m).errorClass(ErrorClass.SYSTEM_ERROR)
        .errorType("Err" + evil).errorMessage("msg" + evil).stackTrace("at x" + evil).deadAt(Instant.parse("2026-01-01T10:00:00Z"))
        .reason(DeadLetterReason.EXHAUSTED).workerId("w" + evil).fingerprint("fp" + evil).build());
    s = Served.start(backend, b -> {});
    browser.get(s.base() + "/");
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rows tr")));
    browser.findElement(By.cssSelector("#rows tr [data-action=open]")).click();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("payload")));
    browser.findElement(By.cssSelector(".tab[data-view=groups]")).click();
    waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#groupRows tr[data-fingerprint]")));
    browser.findElement(By.cssSelector(".tab[data-view=letters]")).click();
    Thread.sleep(500);
    Browser.screenshot(browser, "stored-xss-inert");
    assertThat(alertShown()).as("no alert").isFalse();
    assertThat(browser.executeScript("return typeof window.__xss")).isEqualTo("undefined");
    assertThat(browser.findElements(By.cssSelector("#rows img, #detail img, #detail script, #rows script, #groupRows img")))
        .isEmpty();
    assertThat(browser.findElement(By.id("rows")).getText()).contains("order<img src=x onerror=");
    assertThat(browser.findElement(By.id("detail")).getText()).contains("<script>window.__xss=2;alert(2)</script>");
  }

  private boolean alertShown() {
    try {
      Alert a = browser.switchTo().alert();
      a.dismiss();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }

  /** Clicks what {@code by} finds, again if the list was redrawn under the click (the replays view refreshes). */
  private void clickFresh(By by) {
    waiting().until(d -> {
      try {
        d.findElement(by).click();
        return true;
      } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
        return false;
      }
    });
  }

  private void accept() {
    waiting().until(ExpectedConditions.alertIsPresent()).accept();
  }

  private WebElement row(String id) {
    return browser.findElement(By.cssSelector("#rows tr[data-id='" + id + "']"));
  }

  @Test
  void listOpenReplayResolveWithTheResultInView() throws Exception {
    s = Served.start(b -> {});
    String id1 = Fixtures.id("m-1");
    String id2 = Fixtures.id("m-2");
    browser.get(s.base() + "/");
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 2));
    Browser.screenshot(browser, "flow-1-list");
    assertThat(browser.findElement(By.id("stats")).getText()).contains("total 2");

    row(id1).findElement(By.cssSelector("[data-action=open]")).click();
    WebElement payload = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("payload")));
    assertThat(payload.getText()).contains("\"id\": \"m-1\"");
    assertThat(browser.findElement(By.id("detail")).getText()).contains("payload (JSON").contains("lineage")
        .contains("order.created · PENDING");
    Browser.screenshot(browser, "flow-2-detail");

    row(id1).findElement(By.cssSelector("[data-action=replay]")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "replayed 1 of 1"));
    waiting().until(d -> row(id1).getAttribute("data-status").equals("REPLAYED"));
    assertThat(row(id1).findElements(By.cssSelector("[data-action=replay]"))).as("no replay on a replayed row").isEmpty();
    assertThat(s.mem.size("orders")).isEqualTo(1);
    Browser.screenshot(browser, "flow-3-replayed");

    row(id2).findElement(By.cssSelector("[data-action=resolve]")).click();
    accept(); // the note prompt
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "resolved 1 of 1"));
    assertThat(s.mem.store().get(id2).orElseThrow().status()).isEqualTo(DeadLetterStatus.RESOLVED);
    browser.navigate().refresh();
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 2));
    assertThat(browser.findElement(By.id("msg")).getText()).as("the result survives a reload").contains("resolved 1 of 1");
    Browser.screenshot(browser, "flow-4-resolved");

    browser.findElement(By.name("since")).sendKeys("yesterday");
    browser.findElement(By.id("search")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "search failed: since must be"));
    assertThat(browser.findElements(By.cssSelector("#rows tr"))).as("no stale rows after a failed search").isEmpty();
    Browser.screenshot(browser, "flow-5-failed-search");

    browser.findElement(By.cssSelector(".tab[data-view=audit]")).click();
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#auditRows tr"), 2));
    assertThat(browser.findElement(By.id("auditRows")).getText()).contains("replay").contains("resolve").contains("console");
    Browser.screenshot(browser, "flow-6-audit");
  }

  @Test
  void tokensRolesBulkSelectAndFailureGroupsInTheConsole() throws Exception {
    s = Served.start(Fixtures.backendWith(3), b -> b.token("vera", AdminServer.Role.VIEWER, "viewer-secret")
        .token("otto", AdminServer.Role.OPERATOR, "operator-secret"));
    browser.get(s.base() + "/");
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "needs a bearer token"));
    Browser.screenshot(browser, "roles-1-no-token");

    browser.findElement(By.id("token")).sendKeys("viewer-secret", org.openqa.selenium.Keys.TAB);
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 3));
    assertThat(browser.findElement(By.id("whoami")).getText()).isEqualTo("vera (viewer)");
    assertThat(browser.findElements(By.cssSelector("#rows [data-action=replay], #rows [data-action=resolve]")))
        .as("a viewer is offered no changes").isEmpty();
    assertThat(browser.findElement(By.id("replayAll")).isDisplayed()).isFalse();
    Browser.screenshot(browser, "roles-2-viewer");

    browser.findElement(By.id("token")).clear();
    browser.findElement(By.id("token")).sendKeys("operator-secret", org.openqa.selenium.Keys.TAB);
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("whoami"), "otto (operator)"));
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows [data-action=replay]"), 3));
    List<WebElement> boxes = browser.findElements(By.cssSelector("#rows input[type=checkbox]"));
    boxes.get(0).click();
    boxes.get(1).click();
    assertThat(browser.findElement(By.id("selCount")).getText()).isEqualTo("2");
    browser.findElement(By.cssSelector("[data-bulk=resolve]")).click();
    accept(); // resolve 2?
    accept(); // the note
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "resolved 2 of 2"));
    Browser.screenshot(browser, "roles-3-bulk-resolved");

    browser.findElement(By.cssSelector(".tab[data-view=groups]")).click();
    WebElement group = waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#groupRows tr[data-fingerprint=fp]")));
    assertThat(group.getText()).startsWith("1 ").contains("bulk.test").contains("bad m-");
    Browser.screenshot(browser, "roles-4-groups");
    group.findElement(By.cssSelector("[data-action=replay-group]")).click();
    accept(); // replay 1?
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "replayed 1 of 1"));
    assertThat(s.mem.size("orders")).isEqualTo(1);

    browser.findElement(By.cssSelector(".tab[data-view=audit]")).click();
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#auditRows tr"), 2));
    assertThat(browser.findElement(By.id("auditRows")).getText()).contains("otto").doesNotContain("console");
    Browser.screenshot(browser, "roles-5-audit");
  }

  @Test
  void replayAllMatchingShowsProgressThenTheResult() throws Exception {
    s = Served.start(Fixtures.backendWith(6), b -> b.replayRate(2));
    browser.get(s.base() + "/");
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 6));
    browser.findElement(By.id("replayAll")).click();
    accept(); // replay 6? (about 3 s)
    new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(50))
        .until(ExpectedConditions.textMatches(By.id("msg"), java.util.regex.Pattern.compile("replaying: [1-5] of 6 sent")));
    Browser.screenshot(browser, "replay-all-progress");
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "replayed 6 of 6"));
    assertThat(s.mem.size("orders")).isEqualTo(6);
  }

  @Test
  void aGroupIsReplayedAsAJobThatShowsItsProgressAndCanBePausedAndCancelled() throws Exception {
    s = Served.start(Fixtures.backendWith(4), b -> {});
    browser.get(s.base() + "/");
    browser.findElement(By.cssSelector(".tab[data-view=groups]")).click();
    WebElement group = waiting().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#groupRows tr[data-fingerprint=fp]")));
    group.findElement(By.cssSelector("[data-action=replay-job]")).click();
    Alert confirm = waiting().until(ExpectedConditions.alertIsPresent());
    assertThat(confirm.getText()).contains("Replay 4 dead letters: 1 canary first");
    confirm.accept();
    // the canary goes out, then is watched for 30 s: the job shows it
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#replayRows tr[data-job]"),
        "RUNNING 4 1 3 0"));
    Browser.screenshot(browser, "replay-job-1-canary");
    assertThat(s.mem.size("orders")).isEqualTo(1);
    clickFresh(By.cssSelector("#replayRows [data-action=job-pause]"));
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#replayRows tr[data-job]"),
        "PAUSED"));
    clickFresh(By.cssSelector("#replayRows [data-action=job-cancel]"));
    accept(); // cancel?
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#replayRows tr[data-job]"),
        "CANCELLED"));
    Browser.screenshot(browser, "replay-job-2-cancelled");
    assertThat(browser.findElements(By.cssSelector("#replayRows button"))).as("a cancelled job offers nothing").isEmpty();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#replayRows tr[data-job]"),
        "cancelled by console"));
    assertThat(s.mem.size("orders")).isEqualTo(1);
  }

  /** A backend whose dead letters (type "order.created", queue "orders") carry these JSON payloads, keyed by message id. */
  private static String backendWithPayloads(Map<String, String> payloads) {
    String backend = "payloads-" + java.util.UUID.randomUUID();
    Instant at = Instant.parse("2026-01-01T10:00:00Z");
    for (Map.Entry<String, String> p : payloads.entrySet()) {
      at = at.plusSeconds(1);
      Message m = new Message(p.getKey(), "order.created", p.getValue().getBytes(StandardCharsets.UTF_8),
          Map.of("tenant", "acme"), SourceRef.of("memory", "orders"), 3, at.minusSeconds(5));
      InMemory.named(backend).store().record(DeadLetter.builder(m).errorClass(ErrorClass.USER_ERROR)
          .errorType("java.lang.IllegalArgumentException").errorMessage("bad " + p.getKey()).deadAt(at)
          .reason(DeadLetterReason.NON_RETRYABLE).workerId("w").fingerprint("fp").build());
    }
    return backend;
  }

  private void search(String field, String contains) {
    browser.findElement(By.name("payloadField")).clear();
    browser.findElement(By.name("payloadContains")).clear();
    browser.findElement(By.name("payloadField")).sendKeys(field);
    browser.findElement(By.name("payloadContains")).sendKeys(contains);
    browser.findElement(By.id("search")).click();
  }

  private List<String> listedIds() {
    return browser.findElements(By.cssSelector("#rows tr")).stream().map(r -> r.getAttribute("data-id")).sorted().toList();
  }

  @Test
  void thePayloadFieldAndTextSearchListOnlyTheMatchesAndABadFieldShowsTheServersError() throws Exception {
    Map<String, String> payloads = new java.util.LinkedHashMap<>();
    payloads.put("p-1", "{\"order\":{\"total\":42,\"currency\":\"EUR\"},\"note\":\"gift wrap\"}");
    payloads.put("p-2", "{\"order\":{\"total\":42.0,\"currency\":\"USD\"}}");
    payloads.put("p-3", "{\"order\":{\"total\":7,\"currency\":\"EUR\"},\"note\":\"gift card\"}");
    payloads.put("p-4", "not json, but says gift");
    s = Served.start(backendWithPayloads(payloads), b -> {});
    String p1 = Fixtures.id("p-1");
    String p2 = Fixtures.id("p-2");
    String p3 = Fixtures.id("p-3");
    String p4 = Fixtures.id("p-4");
    browser.get(s.base() + "/");
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 4));
    assertThat(browser.findElement(By.name("payloadField")).getAttribute("placeholder")).contains("order.total=42");

    search("order.total=42", "");
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 2));
    assertThat(listedIds()).containsExactlyInAnyOrder(p1, p2);
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("stats"), "total 2"));
    Browser.screenshot(browser, "payload-1-field");

    search("order.currency=EUR", "");
    waiting().until(d -> listedIds().equals(java.util.stream.Stream.of(p1, p3).sorted().toList()));

    search("", "gift");
    waiting().until(d -> listedIds().equals(java.util.stream.Stream.of(p1, p3, p4).sorted().toList()));

    search("order.currency=EUR", "gift card");
    waiting().until(d -> listedIds().equals(List.of(p3)));
    Browser.screenshot(browser, "payload-2-field-and-text");

    search("no-equals-sign", "");
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"),
        "search failed: payloadField must be PATH=VALUE"));
    assertThat(browser.findElement(By.id("msg")).getAttribute("class")).isEqualTo("error");
    assertThat(browser.findElement(By.id("msg")).getText()).contains("'no-equals-sign'");
    assertThat(browser.findElements(By.cssSelector("#rows tr"))).as("no stale rows after a failed search").isEmpty();
    Browser.screenshot(browser, "payload-3-bad-field");

    search("", "nothing has this");
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("empty")));
    assertThat(browser.findElements(By.cssSelector("#rows tr"))).isEmpty();
  }

  private WebElement openEditForm(String id) {
    row(id).findElement(By.cssSelector("[data-action=open]")).click();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("payload")));
    browser.findElement(By.cssSelector("#detail [data-detail-action=edit-replay]")).click();
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("editForm")));
  }

  private static void retype(WebElement field, String text) {
    field.clear();
    field.sendKeys(text);
  }

  @Test
  void editAndReplaySendsACorrectedCopyAndNeverWritesARedactedHeaderBack() throws Exception {
    s = Served.start(b -> b.allowEdits("order.created"));
    String id1 = Fixtures.id("m-1");
    browser.get(s.base() + "/");
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 2));
    WebElement form = openEditForm(id1);
    WebElement payload = form.findElement(By.id("editPayload"));
    assertThat(payload.getAttribute("value")).contains("\"card\": \"4111\"");
    WebElement headers = form.findElement(By.id("editHeaders"));
    assertThat(headers.getAttribute("value")).contains("\"Authorization\": \"[REDACTED]\"", "\"tenant\": \"acme\"");
    retype(payload, "{\"id\": \"m-1\", \"card\": \"4242\"}");
    retype(headers, "{\"Authorization\": \"[REDACTED]\", \"tenant\": \"acme-eu\"}");
    form.findElement(By.id("editNote")).sendKeys("card fixed");
    Browser.screenshot(browser, "edit-1-form");
    form.findElement(By.id("editSend")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "edited and replayed: copy m-1~edit~"));
    assertThat(browser.findElement(By.id("msg")).getText()).contains("~ payload card: \"4111\" -> \"4242\"",
        "~ header tenant: acme -> acme-eu").doesNotContain("Authorization");
    waiting().until(d -> row(id1).getAttribute("data-status").equals("REPLAYED"));
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail h2"),
        "order.created · REPLAYED"));
    assertThat(browser.findElements(By.id("editForm"))).as("the detail is redrawn").isEmpty();
    assertThat(browser.findElements(By.cssSelector("#detail [data-detail-action=edit-replay]")))
        .as("no edit on a replayed dead letter").isEmpty();
    Browser.screenshot(browser, "edit-2-replayed");

    assertThat(s.mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.REPLAYED);
    assertThat(s.mem.store().get(id1).orElseThrow().deadLetter().message().payloadAsString())
        .as("the original payload is kept as evidence").contains("4111");
    assertThat(s.mem.size("orders")).isEqualTo(1);
    Message copy;
    try (dev.dlq.spi.Source src = s.mem.source("orders", Duration.ofSeconds(30), 0)) {
      List<? extends dev.dlq.spi.Delivery> got = src.poll(10, Duration.ofMillis(200));
      assertThat(got).hasSize(1);
      copy = got.get(0).message();
    }
    assertThat(copy.id()).startsWith("m-1~edit~");
    assertThat(copy.payloadAsString()).isEqualTo("{\"id\":\"m-1\",\"card\":\"4242\"}");
    assertThat(copy.headers()).containsEntry("tenant", "acme-eu").containsEntry("Authorization", "Bearer s3cret")
        .containsEntry(dev.dlq.ReplayEdit.PARENT_HEADER, id1);
    assertThat(s.get("/api/audit").body()).contains("\"action\":\"edit-replay\"", "card fixed", "console");
  }

  @Test
  void editAndReplayShowsTheServersRefusalWhenEditsAreNotAllowed() throws Exception {
    s = Served.start(b -> {});
    String id1 = Fixtures.id("m-1");
    browser.get(s.base() + "/");
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#rows tr"), 2));
    WebElement form = openEditForm(id1);
    retype(form.findElement(By.id("editPayload")), "{\"id\": \"m-1\", \"card\": \"4242\"}");
    form.findElement(By.id("editNote")).sendKeys("card fixed");
    form.findElement(By.id("editSend")).click();
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg"), "edit and replay failed:"));
    assertThat(browser.findElement(By.id("msg")).getText()).contains("type 'order.created' is not allowed");
    WebElement result = browser.findElement(By.id("editResult"));
    assertThat(result.isDisplayed()).isTrue();
    assertThat(result.getText()).contains("is not allowed");
    assertThat(form.findElement(By.id("editSend")).isEnabled()).as("the form stays to be fixed or cancelled").isTrue();
    Browser.screenshot(browser, "edit-3-refused");

    retype(form.findElement(By.id("editPayload")), "{\"card\": \"[REDACTED]\"}");
    form.findElement(By.id("editSend")).click();
    waiting().until(ExpectedConditions.textToBePresentInElement(result, "still holds [REDACTED]"));

    assertThat(s.mem.store().get(id1).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING);
    assertThat(s.mem.size("orders")).as("nothing sent").isZero();
    assertThat(s.mem.store().audit(10)).isEmpty();
  }
}
