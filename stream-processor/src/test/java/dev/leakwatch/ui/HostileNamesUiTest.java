package dev.leakwatch.ui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.topology.eval.CorpusScenario;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web UI against DELIBERATELY HOSTILE names: a real processor fed the recorded session-store leak
 * twice, renamed ({@link HostileCorpus}) as a push client could name things — once with markup and
 * script payloads and bidi text in the service, instance, function and file names, once with
 * function names of 10,000 characters. Every name must show as literal text where the UI shows it,
 * no element may come of it and no script may run (the page's CSP is bypassed, so this tests the UI's
 * code, not the CSP), and long names must not push the page's controls away.
 */
class HostileNamesUiTest {

  // Each payload, parsed as HTML or SVG anywhere, adds an element INJECTED finds and, run, sets
  // window.pwned and the title.
  private static final String IMG = "<img src=x onerror=\"window.pwned='img';document.title='pwned'\">";
  private static final String SCRIPT = "</script><script>window.pwned='script';document.title='pwned'</script>";
  private static final String SVG = "\"'><svg onload=\"window.pwned='svg';document.title='pwned'\">";
  private static final String STYLE = "<style>body{display:none}</style>";
  private static final String BIDI = "\u202Eexe.txt\u202C \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \uD83D\uDE00";

  /** Service and instance names obey the naming rule (no '/' in a service, no bidi controls). */
  static final String SERVICE = "\"'><svg onload=window.pwned='service'><img src=x onerror=window.pwned='service'>store";
  static final String REPLICA_0 = SCRIPT + "replica-0";
  static final String REPLICA_1 = "<b onmouseover=window.pwned='b'>replica-1</b> \u05e9\u05dc\u05d5\u05dd";

  static final String SITE = IMG + "session.(*Store).Remember";
  static final String SITE_FILE_NAME = "\"><img src=x onerror=window.pwned='file'>store.go";
  static final String CALLER = SCRIPT + "session.Run " + BIDI;
  static final String GLOB = SVG + "main.glob..func1";
  static final String RUN = STYLE + "main.run";

  static final String LONG_SERVICE = "long-names";
  static final String LONG_SITE = padded("leakwatch.dev/long.(*Store).Remember", 'R');
  static final String LONG_CALLER = padded("leakwatch.dev/long.Run", 'N');

  /** What markup in the data would have made: elements the UI never draws itself, a title, a flag. */
  private static final String INJECTED = String.join("\n",
      "const found = [...document.querySelectorAll('img, b, style, iframe, object, embed, script:not([src]),"
          + " [onload], [onerror], [onmouseover]')].map((e) => e.outerHTML.slice(0, 80));",
      "if (window.pwned !== undefined) found.push('window.pwned = ' + window.pwned);",
      "if (document.title !== 'Leakwatch') found.push('title ' + document.title);",
      "return found;");

  private static DemoProcessor demo;
  private static Browser browser;
  private static ApiCalls api;

  @BeforeAll
  static void feedTheHostileCopiesAndOpenABrowser() throws Exception {
    Browser.assumeInstalled();
    CorpusScenario recorded = DemoProcessor.corpus().stream().filter(s -> s.service().equals("session-store"))
        .findFirst().orElseThrow();
    String site = recorded.leakSiteFunctions().get(0);
    String caller = "leakwatch.dev/goleaker/internal/session.Run";
    Path dir = Path.of("target", "ui-test", "hostile");
    CorpusScenario markup = HostileCorpus.derive(recorded, SERVICE,
        Map.of("replica-0", REPLICA_0, "replica-1", REPLICA_1),
        Map.of(site, new HostileCorpus.Rename(SITE, "/src/session/" + SITE_FILE_NAME),
            caller, new HostileCorpus.Rename(CALLER, null),
            "main.glob..func1", new HostileCorpus.Rename(GLOB, null),
            "main.run", new HostileCorpus.Rename(RUN, null)),
        dir.resolve("markup"));
    CorpusScenario longNames = HostileCorpus.derive(recorded, LONG_SERVICE, Map.of(),
        Map.of(site, new HostileCorpus.Rename(LONG_SITE, null), caller, new HostileCorpus.Rename(LONG_CALLER, null)),
        dir.resolve("long"));
    demo = DemoProcessor.start(List.of(markup, longNames));
    api = new ApiCalls(demo.port(), DemoProcessor.TOKEN);
    await().atMost(Duration.ofSeconds(60)).until(demo::running);
    demo.publishAll();
    long last = recorded.captures().stream().mapToLong(CorpusScenario.Capture::captureMs).max().orElseThrow();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> api.lastCaptures().equals(Map.of(SERVICE, last, LONG_SERVICE, last))
            && openSites().containsAll(Set.of(SITE, LONG_SITE)));
    // as in UiBrowserTest: the lifecycle (the suspect page's live instances) lags the listing under load
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> List.of(markup, longNames).stream().allMatch(api::holdsEveryCapture));
    browser = Browser.open(demo.port());
    browser.bypassCsp();
    assertEquals("ready", browser.go("/?token=" + DemoProcessor.TOKEN + "#/"));
  }

  @AfterAll
  static void stop() {
    try (DemoProcessor d = demo) {
      if (browser != null) {
        browser.close();
      }
    }
  }

  /** After every view: nothing of the payloads became markup or ran. */
  @AfterEach
  void nothingWasInjected() {
    if (browser != null) {
      assertEquals(List.of(), browser.driver.executeScript(INJECTED), "injected by " + browser.driver.getCurrentUrl());
    }
  }

  private static String padded(String name, char filler) {
    return name + String.valueOf(filler).repeat(10_000 - name.length());
  }

  private static Set<String> openSites() {
    Set<String> out = new HashSet<>();
    api.json("/api/v1/suspects?status=open").path("suspects").forEach(s -> out.add(s.path("site").path("function").asText()));
    return out;
  }

  /** The overview's card of the suspect at {@code site} of {@code service}. */
  private static WebElement card(String service, String site) {
    return browser.driver.findElements(By.cssSelector("article.suspect-card")).stream()
        .filter(c -> service.equals(c.getAttribute("data-service"))
            && text(c.findElement(By.cssSelector("a.suspect-link"))).startsWith(site.substring(0, 40)))
        .findFirst().orElseThrow(() -> new AssertionError("no card of " + site));
  }

  private static void openSuspectPage(String service, String site) {
    assertEquals("ready", browser.go("/#/"));
    assertEquals("ready", browser.follow(card(service, site).findElement(By.cssSelector("a.suspect-link"))));
  }

  private static String text(WebElement e) {
    return (String) browser.driver.executeScript("return arguments[0].textContent", e);
  }

  @Test
  void shouldShowHostileServiceInstanceAndFunctionNamesAsTextOnTheOverview() {
    assertEquals("ready", browser.go("/#/"));
    WebElement card = card(SERVICE, SITE);
    assertTrue(text(card.findElement(By.cssSelector("h3"))).startsWith(SITE + " (" + SITE_FILE_NAME + ":"),
        text(card));
    assertEquals(SERVICE, text(card.findElement(By.cssSelector(".meta"))).split(" · ")[0]);
    WebElement row = browser.driver.findElements(By.cssSelector("table.services tbody tr")).stream()
        .filter(r -> SERVICE.equals(r.getAttribute("data-service"))).findFirst().orElseThrow();
    assertEquals(SERVICE, text(row.findElement(By.cssSelector("td a"))));
    String instances = text(row.findElement(By.cssSelector("td.instances")));
    assertTrue(instances.contains(REPLICA_0) && instances.contains(REPLICA_1), instances);
    browser.screenshot("hostile-overview");
  }

  @Test
  void shouldShowHostileNamesAsTextOnTheSuspectPageItsStackAndItsChartLegend() {
    openSuspectPage(SERVICE, SITE);
    assertTrue(text(browser.driver.findElement(By.id("site"))).startsWith(SITE + " (" + SITE_FILE_NAME + ":"));
    List<String> stack = browser.textContents("#stack li");
    assertTrue(stack.stream().anyMatch(f -> f.startsWith(SITE + "  /src/session/" + SITE_FILE_NAME + ":")), stack.toString());
    for (String caller : List.of(CALLER, GLOB, RUN)) {
      assertTrue(stack.stream().anyMatch(f -> f.startsWith(caller + "  ")), caller + " in " + stack);
    }
    List<String> legend = browser.textContents("#growth-chart .u-legend .u-series th");
    assertTrue(legend.containsAll(List.of(REPLICA_0, REPLICA_1)), legend.toString());
    assertTrue(legend.contains(REPLICA_0 + " trend") || legend.contains(REPLICA_1 + " trend"), legend.toString());
    assertTrue(browser.textContents("#crumbs").get(0).startsWith(SERVICE), "the service in the breadcrumbs");
    browser.screenshot("hostile-suspect");
  }

  @Test
  void shouldShowHostileNamesAsTextInTheFlameGraphItsTooltipsSearchAndTopTable() {
    openSuspectPage(SERVICE, SITE);
    // the flame link searches for the site's name
    assertEquals("ready", browser.follow(browser.driver.findElement(By.id("flame-link"))));
    assertEquals(SITE, browser.driver.findElement(By.name("q")).getDomProperty("value"), "the search from the URL");
    Set<String> frames = Set.copyOf(browser.driver.findElements(By.cssSelector("#flame g.frame")).stream()
        .map(f -> f.getAttribute("data-name")).toList());
    assertTrue(frames.containsAll(List.of(SITE, CALLER, GLOB, RUN)), frames.toString());
    List<WebElement> matches = browser.driver.findElements(By.cssSelector("#flame g.frame.match"));
    assertFalse(matches.isEmpty(), "the site's frames are found by their name");
    assertTrue(matches.stream().allMatch(f -> SITE.equals(f.getAttribute("data-name"))));
    WebElement site = matches.stream().max(Comparator.comparingDouble(
        f -> Double.parseDouble(f.findElement(By.tagName("rect")).getDomAttribute("width")))).orElseThrow();
    assertTrue(text(site.findElement(By.tagName("title"))).startsWith(SITE + " — /src/session/" + SITE_FILE_NAME + ":"));
    hover(site);
    String info = browser.textContents(".flame-info").get(0);
    assertTrue(info.startsWith(SITE + " — "), "the hovered frame's name: " + info);
    assertTrue(browser.textContents("#top-table td.fn").contains(SITE), "the site is a leaf of the top table");

    WebElement caller = browser.driver.findElements(By.cssSelector("#flame g.frame")).stream()
        .filter(f -> CALLER.equals(f.getAttribute("data-name"))).findFirst().orElseThrow();
    caller.click();
    assertTrue(browser.driver.getCurrentUrl().contains("zoom="), "zoomed to the caller");
    assertEquals("ready", browser.go(browser.driver.getCurrentUrl().substring(browser.base().length())));
    WebElement zoomed = browser.driver.findElement(By.cssSelector("#flame g.frame:not(.dim)"));
    assertEquals(CALLER, zoomed.getAttribute("data-name"), "a pasted URL reopens the zoom on the hostile name");
    browser.screenshot("hostile-flame");
  }

  @Test
  void shouldShowHostileNamesAsTextInTheDiffFlameGraphAndItsTable() {
    openSuspectPage(SERVICE, SITE);
    assertEquals("ready", browser.follow(browser.driver.findElement(By.id("diff-link"))));
    List<String> frames = browser.driver.findElements(By.cssSelector("#flame g.frame")).stream()
        .map(f -> f.getAttribute("data-name")).toList();
    assertTrue(frames.containsAll(List.of(SITE, CALLER)), frames.toString());
    assertTrue(browser.textContents("#diff-table td.fn").contains(SITE), "the site grew most");
    browser.screenshot("hostile-diff");
  }

  @Test
  void shouldShowParameterValuesQuotedInAnApisErrorAsText() {
    assertEquals("error", browser.navigate("#/flame/" + LONG_SERVICE + "?metric=" + urlEncoded(IMG)));
    String error = browser.textContents("#view .error").get(0);
    assertTrue(error.contains(IMG), "the API's message quotes the value: " + error);
    assertEquals("error", browser.navigate("#/flame/" + LONG_SERVICE + "?from=" + urlEncoded(SVG + SCRIPT)));
    assertTrue(browser.textContents("#view .error").get(0).contains(SVG), browser.textContents("#view .error").get(0));
    assertEquals("error", browser.navigate("#/" + urlEncoded(IMG)));
    assertEquals("No view \"" + IMG + "\".", browser.textContents("#view .error").get(0));
  }

  private static String urlEncoded(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void shouldKeepThePagesControlsInReachWhenFunctionNamesAreTenThousandCharactersLong() {
    assertEquals("ready", browser.navigate("#/flame/" + LONG_SERVICE + "?metric=inuse_space"));
    assertTrue(browser.textContents("#top-table td.fn").contains(LONG_SITE), "the long name in full in the table");
    WebElement frame = browser.driver.findElements(By.cssSelector("#flame g.frame")).stream()
        .filter(f -> LONG_CALLER.equals(f.getAttribute("data-name"))).findFirst().orElseThrow();
    hover(frame);
    assertInReach(List.of(By.name("metric"), By.name("q"), By.cssSelector("form.toolbar button[type=submit]"),
        By.linkText("Download pprof"), By.cssSelector("#top-table tbody tr"), By.cssSelector("form.logout button")));
    String info = browser.textContents(".flame-info").get(0);
    assertTrue(info.startsWith(LONG_CALLER.substring(0, 40)) && info.contains("…") && info.length() < 1000
        && info.contains("per capture"), "the hovered long name, cut, and the frame's value: " + info);
    browser.screenshot("long-flame");
    browser.driver.findElement(By.name("q")).click(); // the pointer leaves the frame
    browser.driver.findElement(By.name("q")).sendKeys("long.Run");
    assertTrue(browser.textContents(".flame-info").get(0).startsWith("\"long.Run\" matches"), "the search still works");

    assertEquals("ready", browser.go("/#/"));
    assertInReach(List.of(By.cssSelector("table.services"), By.cssSelector("form.logout button")));
    openSuspectPage(LONG_SERVICE, LONG_SITE);
    WebElement heading = browser.driver.findElement(By.id("site"));
    assertTrue(heading.getDomAttribute("title").startsWith(LONG_SITE + " ("), "the whole name in the tooltip");
    assertTrue(text(heading).startsWith(LONG_SITE.substring(0, 40)) && text(heading).contains("…")
        && text(heading).length() < 1000, "the heading cuts it: " + text(heading));
    assertTrue(browser.textContents("#stack li").stream().anyMatch(f -> f.startsWith(LONG_SITE + "  ")),
        "the whole name in the stack");
    assertInReach(List.of(By.id("diff-link"), By.id("flame-link"), By.id("pprof-link"), By.name("from"),
        By.id("growth-chart"), By.cssSelector("form.logout button")));
    browser.screenshot("long-suspect");
  }

  /**
   * Points at a flame graph's frame: the event the pointer entering it fires (chromedriver's pointer
   * lands a row off on this SVG in headless mode, so a real move is not used).
   */
  private static void hover(WebElement frame) {
    browser.driver.executeScript("arguments[0].dispatchEvent(new MouseEvent('mouseenter'))", frame);
  }

  /** The page needs no horizontal scrolling and a click reaches each element: nothing long pushed or covered it. */
  private static void assertInReach(List<By> controls) {
    assertEquals(List.of(), browser.widerThanTheWindow(), "elements that make the page wider than the window");
    for (By by : controls) {
      assertTrue(browser.clickable(browser.driver.findElement(by)), by + " can be clicked");
    }
  }
}
