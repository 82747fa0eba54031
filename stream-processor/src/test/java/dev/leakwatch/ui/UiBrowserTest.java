package dev.leakwatch.ui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web UI in headless Chromium against a processor fed the recorded corpus (the demo's data).
 * Expectations come from the API's answers and from the corpus manifests (which scenarios leak and
 * at which function), never from the UI's own code. Screenshots of every view land in {@code
 * target/ui-screenshots}.
 */
class UiBrowserTest {

  private static DemoProcessor demo;
  private static Browser browser;
  private static ApiCalls api;

  @BeforeAll
  static void feedTheDemoDataAndOpenABrowser() throws Exception {
    Browser.assumeInstalled();
    List<CorpusScenario> corpus = DemoProcessor.corpus();
    demo = DemoProcessor.start(corpus);
    api = new ApiCalls(demo.port(), DemoProcessor.TOKEN);
    await().atMost(Duration.ofSeconds(60)).until(demo::running);
    demo.publishAll();
    Map<String, Long> lastCapture = corpus.stream().collect(Collectors.toMap(CorpusScenario::service,
        s -> s.captures().stream().mapToLong(CorpusScenario.Capture::captureMs).max().orElseThrow()));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> api.lastCaptures().equals(lastCapture) && openServices().containsAll(leakingServices()));
    // the listing's latest capture per service is one instance's, and open suspects come mid-stream: the
    // lifecycle (cards, candidates, live instances), fed through the repartition topic, can still be
    // behind, and the overview is compared with a later answer of the API
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> demo.scenarios.stream().allMatch(api::holdsEveryCapture));
    browser = Browser.open(demo.port());
  }

  @AfterAll
  static void stop() {
    try (DemoProcessor d = demo) {
      if (browser != null) {
        browser.close();
      }
    }
  }

  private static Set<String> leakingServices() {
    return demo.scenarios.stream().filter(CorpusScenario::leak).map(CorpusScenario::service).collect(Collectors.toSet());
  }

  private static Set<String> openServices() {
    Set<String> out = new java.util.HashSet<>();
    api.json("/api/v1/suspects?status=open").path("suspects").forEach(s -> out.add(s.path("service").asText()));
    return out;
  }

  private static CorpusScenario scenario(String service) {
    return demo.scenarios.stream().filter(s -> s.service().equals(service)).findFirst().orElseThrow();
  }

  /** Logs the browser in the way a user would on first visit: the token once in the address. */
  private static String login(String hash) {
    return browser.go("/?token=" + DemoProcessor.TOKEN + hash);
  }

  private static List<String> frameNames(String css) {
    return browser.driver.findElements(By.cssSelector(css)).stream().map(f -> f.getAttribute("data-name")).toList();
  }

  private static List<String> texts(String css) {
    return browser.driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  @Test
  void shouldListEveryCurrentSuspectOnTheOverviewOpenOnesFirst() {
    assertEquals("ready", login("#/"));
    List<WebElement> cards = browser.driver.findElements(By.cssSelector("#suspects article.suspect-card"));
    Set<String> shown = cards.stream().map(c -> c.getAttribute("data-suspect-id")).collect(Collectors.toSet());
    Set<String> expected = new java.util.HashSet<>();
    api.json("/api/v1/suspects?status=all").path("suspects").forEach(s -> expected.add(s.path("suspectId").asText()));
    assertEquals(expected, shown, "one card per current suspect");
    List<String> states = texts("#suspects article.suspect-card .badge");
    int firstOther = states.indexOf("CANDIDATE") < 0 ? states.size() : states.indexOf("CANDIDATE");
    assertTrue(states.subList(0, firstOther).stream().allMatch("OPEN"::equals), "open suspects first: " + states);
    Set<String> openCardServices = cards.stream().filter(c -> c.getText().startsWith("OPEN"))
        .map(c -> c.getAttribute("data-service")).collect(Collectors.toSet());
    assertTrue(openCardServices.containsAll(leakingServices()), "the recorded leaks are open: " + openCardServices);
    for (String service : leakingServices()) {
      WebElement card = cards.stream().filter(c -> c.getAttribute("data-service").equals(service)).findFirst().orElseThrow();
      assertFalse(card.findElements(By.cssSelector(".spark canvas")).isEmpty(), service + "'s card has a chart");
    }
    List<String> services = browser.driver.findElements(By.cssSelector("table.services tbody tr")).stream()
        .map(r -> r.getAttribute("data-service")).toList();
    assertEquals(demo.scenarios.stream().map(CorpusScenario::service).sorted().toList(), services.stream().sorted().toList());
    browser.screenshot("overview");
  }

  @Test
  void shouldPageThroughEveryServiceByNameWithTheNextLink() {
    assertEquals("ready", login("#/overview?limit=3"));
    List<String> seen = new ArrayList<>();
    List<String> page = serviceRows();
    while (true) {
      assertTrue(page.size() <= 3, "a page holds at most the limit: " + page);
      seen.addAll(page);
      List<WebElement> next = browser.driver.findElements(By.id("next-services"));
      if (next.isEmpty()) {
        break;
      }
      List<String> before = page;
      next.get(0).click();
      await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(browser.settled()) && !serviceRows().equals(before));
      page = serviceRows();
      assertTrue(browser.driver.getCurrentUrl().contains("after="), browser.driver.getCurrentUrl());
    }
    assertEquals(demo.scenarios.stream().map(CorpusScenario::service).sorted().toList(), seen,
        "every service once, in name order, over the pages");
    browser.screenshot("overview-paged");
  }

  @Test
  void shouldShowEachServicesInstanceCountAndPageThroughAllItsInstancesOnItsPage() {
    String service = scenario("session-store").service();
    JsonNode entry = api.json("/api/v1/services/" + service + "?limit=1000");
    List<String> all = new ArrayList<>();
    entry.path("instances").forEach(i -> all.add(i.path("instance").asText()));
    int count = entry.path("instanceCount").asInt();
    assertTrue(count >= 2 && count == all.size(), "the recording has several instances: " + entry);

    assertEquals("ready", login("#/overview?instances=1"));
    WebElement row = browser.driver.findElement(By.cssSelector("table.services tr[data-service='" + service + "']"));
    assertTrue(row.getText().contains("1 of " + count), "the count beside the one listed instance: " + row.getText());
    row.findElement(By.cssSelector("a.all-instances")).click();
    await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(browser.settled())
        && browser.driver.getCurrentUrl().contains("#/service/" + service));
    assertEquals(all, instanceRows(), "the service's page lists every instance, by name");
    assertTrue(browser.driver.findElement(By.id("instance-count")).getText().startsWith(count + " instances"));
    browser.screenshot("service");

    assertEquals("ready", browser.go("/#/service/" + service + "?limit=1"));
    List<String> seen = new ArrayList<>(instanceRows());
    while (true) {
      List<WebElement> next = browser.driver.findElements(By.id("next-instances"));
      if (next.isEmpty()) {
        break;
      }
      List<String> before = instanceRows();
      next.get(0).click();
      await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(browser.settled())
          && !instanceRows().equals(before));
      assertEquals(1, instanceRows().size(), "a page holds the limit");
      seen.addAll(instanceRows());
    }
    assertEquals(all, seen, "every instance once, in name order, over the pages");
  }

  @Test
  void shouldSayOnAServicesPageWhichDetectionRuleJudgesIt() {
    JsonNode d = api.json("/api/v1/services/billing-batch?limit=1").path("detection");
    assertEquals(0, d.path("rule").asInt(-1), "the test's processor.yaml has a rule for billing-*: " + d);

    assertEquals("ready", login("#/service/billing-batch"));
    String note = browser.driver.findElement(By.id("detection-rule")).getText();
    assertTrue(note.contains("detection.services[0]") && note.contains("billing-*") && note.contains("judged")
        && note.contains("warmup " + d.path("changes").path("warmup").asText()), note);

    assertEquals("ready", browser.go("/#/service/" + scenario("session-store").service()));
    assertTrue(browser.driver.findElements(By.id("detection-rule")).isEmpty(), "no rule covers session-store");
  }

  private static List<String> instanceRows() {
    return browser.driver.findElements(By.cssSelector("table.instances tbody tr")).stream()
        .map(r -> r.getAttribute("data-instance")).toList();
  }

  private static List<String> serviceRows() {
    return browser.driver.findElements(By.cssSelector("table.services tbody tr")).stream()
        .map(r -> r.getAttribute("data-service")).toList();
  }

  @Test
  void shouldOpenASuspectsPageWithItsGrowthChartWhenItsCardIsClicked() {
    assertEquals("ready", login("#/"));
    String service = scenario("session-store").service();
    assertEquals("ready", browser.follow(browser.driver.findElement(
        By.cssSelector("article.suspect-card[data-service='" + service + "'] a.suspect-link"))));
    String url = browser.driver.getCurrentUrl();
    assertTrue(url.contains("#/suspect/" + service + "/"), url);
    String id = url.substring(url.lastIndexOf('/') + 1);
    JsonNode suspect = api.json("/api/v1/suspects/" + id).path("suspect");
    assertTrue(browser.driver.findElement(By.id("site")).getText().startsWith(suspect.path("site").path("function").asText()));
    assertEquals(suspect.path("stack").size(), browser.driver.findElements(By.cssSelector("#stack li")).size(),
        "the full stack");
    assertFalse(browser.driver.findElements(By.cssSelector("#growth-chart canvas")).isEmpty(), "a growth chart");
    List<String> instances = new ArrayList<>();
    List<String> withRate = new ArrayList<>();
    api.json("/api/v1/services/" + service + "/suspects/" + id + "/series").path("instances").forEach(i -> {
      instances.add(i.path("instance").asText());
      if (i.path("growth").isObject()) {
        withRate.add(i.path("instance").asText() + " trend");
      }
    });
    List<String> legend = texts("#growth-chart .u-legend .u-series th");
    for (String instance : instances) {
      assertTrue(legend.stream().anyMatch(l -> l.equals(instance)), instance + " in " + legend);
    }
    assertFalse(withRate.isEmpty(), "the instance the leak grows on has a rate");
    assertEquals(withRate, legend.stream().filter(l -> l.endsWith(" trend")).toList(),
        "a trend on each instance the API gives a rate");
    assertEquals(instances, texts("#instance-rates tbody tr td.instance"), "a rate row per instance");
    // the corpus carries no labels: the API computes the section, and it finds nothing that sets them apart
    JsonNode labels = api.json("/api/v1/suspects/" + id).path("labels");
    assertTrue(labels.path("distinguishing").isArray() && labels.path("distinguishing").isEmpty(), labels.toString());
    assertEquals("nothing: the other live instances hold their labels too",
        browser.driver.findElement(By.id("distinguishing-labels")).getText());
    String pprof = browser.driver.findElement(By.id("pprof-link")).getAttribute("href");
    assertEquals(200, api.status(pprof.substring(browser.base().length())), "the pprof download answers");
    browser.screenshot("suspect");
  }

  @Test
  void shouldDrawFlameFramesNamedLikeTheTopTableAndSearchAndZoomThem() {
    String service = scenario("session-store").service();
    assertEquals("ready", login("#/flame/" + service + "?metric=inuse_space"));
    JsonNode top = api.json("/api/v1/services/" + service + "/top?metric=inuse_space&limit=10");
    List<String> heavy = new ArrayList<>();
    top.path("top").forEach(r -> {
      if (r.path("share").asDouble() >= 0.01 && !r.path("leaf").isNull()) {
        heavy.add(r.path("leaf").path("function").asText());
      }
    });
    assertFalse(heavy.isEmpty());
    assertEquals(heavy, texts("#top-table tbody td.fn").subList(0, heavy.size()), "the table lists the API's top");
    Set<String> frames = Set.copyOf(frameNames("#flame g.frame"));
    assertTrue(frames.containsAll(heavy), "frames " + frames + " cover " + heavy);
    browser.screenshot("flame");

    String leak = scenario(service).leakSiteFunctions().get(0);
    String needle = leak.substring(leak.lastIndexOf('.') + 1);
    browser.driver.findElement(By.name("q")).sendKeys(needle);
    List<String> matches = frameNames("#flame g.frame.match");
    assertFalse(matches.isEmpty(), "search marks frames");
    assertTrue(matches.stream().allMatch(n -> n.contains(needle)), matches.toString());
    assertTrue(browser.driver.getCurrentUrl().contains("q=" + needle), "search is in the URL");

    browser.driver.findElement(By.cssSelector("#flame g.frame.match")).click();
    assertTrue(browser.driver.getCurrentUrl().contains("zoom="), "zoom is in the URL");
    double full = Double.parseDouble(browser.driver.findElement(By.cssSelector("#flame svg")).getDomAttribute("viewBox")
        .split(" ")[2]);
    WebElement zoomed = browser.driver.findElement(By.cssSelector("#flame g.frame.match:not(.dim) rect"));
    assertEquals(full, Double.parseDouble(zoomed.getDomAttribute("width")), 1.0, "the zoomed frame spans the graph");
    String pasted = browser.driver.getCurrentUrl();
    assertEquals("ready", browser.go(pasted.substring(browser.base().length())));
    assertEquals(matches.get(0), browser.driver.findElement(By.cssSelector("#flame g.frame.match:not(.dim)"))
        .getAttribute("data-name"), "a pasted URL reopens the same zoom and search");
    browser.screenshot("flame-zoomed");
  }

  @Test
  void shouldMarkTheRecordedLeakSiteAsGrowthInTheDiffFlameGraph() {
    CorpusScenario g = scenario("session-store");
    assertEquals("ready", login("#/"));
    assertEquals("ready", browser.follow(browser.driver.findElement(
        By.cssSelector("article.suspect-card[data-service='" + g.service() + "'] a.suspect-link"))));
    assertEquals("ready", browser.follow(browser.driver.findElement(By.id("diff-link"))));
    String leak = g.leakSiteFunctions().get(0);
    List<WebElement> site = browser.driver.findElements(By.cssSelector("#flame g.frame")).stream()
        .filter(f -> leak.equals(f.getAttribute("data-name"))).toList();
    assertFalse(site.isEmpty(), "the leak site " + leak + " is drawn");
    assertTrue(site.stream().allMatch(f -> f.getAttribute("class").contains("grow")), "the leak site grew");
    WebElement firstRow = browser.driver.findElement(By.cssSelector("#diff-table tbody tr"));
    assertTrue(firstRow.getAttribute("class").contains("grow"), "the table's top row grew");
    browser.screenshot("diff");
  }

  @Test
  void shouldAskForTheTokenKeepItInAnHttpOnlyCookieAndReturnToTheView() {
    browser.driver.manage().deleteAllCookies();
    String service = scenario("session-store").service();
    assertEquals("login", browser.go("/#/flame/" + service));
    browser.screenshot("login");
    assertFalse(browser.driver.findElement(By.cssSelector("form.logout button")).isDisplayed(),
        "no 'Log out' before logging in");
    browser.driver.findElement(By.name("token")).sendKeys(DemoProcessor.TOKEN);
    assertEquals("ready", browser.submit(By.cssSelector("form[action='/ui/login'] button")));
    assertTrue(browser.driver.findElement(By.cssSelector("form.logout button")).isDisplayed());
    assertTrue(browser.driver.getCurrentUrl().endsWith("#/flame/" + service), browser.driver.getCurrentUrl());
    assertEquals("", browser.driver.executeScript("return document.cookie"), "scripts cannot read the token");
    assertEquals(DemoProcessor.TOKEN, browser.driver.manage().getCookieNamed("leakwatch_token").getValue());
  }

  @Test
  void shouldRetryARetryable503AndShowTheDataWhenTheNextAnswerIsTheData() {
    String service = scenario("session-store").service();
    assertEquals("ready", login("#/"));
    browser.answerNextApiCallsWith503(List.of(true));
    assertEquals("ready", browser.navigate("#/flame/" + service + "?metric=inuse_space"));
    assertEquals(1, browser.apiCallsFaked());
    assertEquals(List.of("The server is busy; retrying in 1 s (1 of 3)…"), browser.busyNotes());
    assertFalse(frameNames("#flame g.frame").isEmpty(), "the flame graph of the second answer");
  }

  @Test
  void shouldShowTheErrorWhenTheServerStaysBusyOrSaysAskingAgainCannotHelp() {
    String service = scenario("session-store").service();
    assertEquals("ready", login("#/"));
    browser.answerNextApiCallsWith503(List.of(true, true, true, true, true));
    assertEquals("error", browser.navigate("#/flame/" + service));
    assertEquals(4, browser.apiCallsFaked(), "the first answer and 3 retries");
    assertEquals(3, browser.busyNotes().size());
    assertEquals("busy", browser.driver.findElement(By.cssSelector("#view .error")).getText());

    assertEquals("ready", login("#/"));
    browser.answerNextApiCallsWith503(List.of(false));
    assertEquals("error", browser.navigate("#/flame/" + service));
    assertEquals(1, browser.apiCallsFaked(), "not asked again");
    assertEquals(List.of(), browser.busyNotes());
    assertEquals("cannot help", browser.driver.findElement(By.cssSelector("#view .error")).getText());
  }
}
