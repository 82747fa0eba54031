package dev.leakwatch.ui;

import static dev.leakwatch.ui.ApiAnswers.T0;
import static dev.leakwatch.ui.ApiAnswers.diff;
import static dev.leakwatch.ui.ApiAnswers.entry;
import static dev.leakwatch.ui.ApiAnswers.growth;
import static dev.leakwatch.ui.ApiAnswers.oneStackTop;
import static dev.leakwatch.ui.ApiAnswers.row;
import static dev.leakwatch.ui.ApiAnswers.series;
import static dev.leakwatch.ui.ApiAnswers.seriesOf;
import static dev.leakwatch.ui.ApiAnswers.side;
import static dev.leakwatch.ui.ApiAnswers.suspect;
import static dev.leakwatch.ui.ApiAnswers.suspectWithLabels;
import static dev.leakwatch.ui.ApiAnswers.suspectWithRelated;
import static dev.leakwatch.ui.ApiAnswers.top;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * What the views show, in headless Chromium, for API answers written in the documented shapes
 * ({@link ApiAnswers}, docs/API.md): the cases the recorded corpus cannot produce on demand. Each
 * expectation is the answer's own number or time, never the UI's code.
 */
class ScriptedAnswersUiTest {

  private static final String SVC = "/api/v1/services/svc";

  private static ScriptedUi ui;
  private static ScriptedApi api;
  private static Browser browser;

  @BeforeAll
  static void open() throws Exception {
    ui = ScriptedUi.open();
    api = ui.api;
    browser = ui.browser;
  }

  @AfterAll
  static void close() {
    if (ui != null) {
      ui.close();
    }
  }

  @AfterEach
  void forgetRequests() {
    api.forget();
  }

  @Test
  void shouldWriteTheGrowthChartsTimesInUtcWhenTheBrowserIsInAnotherTimeZone() {
    api.answer(SVC + "/suspects/s1", suspect("s1", "replica-0"));
    api.answer(SVC + "/suspects/s1/series", series("replica-0"));
    // 05:30 ahead of UTC: the page's other times say 07:11 UTC; a chart in local time would say 12:41
    browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Kolkata"));
    try {
      assertEquals("ready", browser.go("/#/suspect/svc/s1"));
      WebElement over = browser.driver.findElement(By.cssSelector("#growth-chart .u-over"));
      // the cursor at the plot's right edge: the legend shows the latest capture, 07:11:43 UTC
      new Actions(browser.driver).moveToElement(over, over.getSize().getWidth() / 2 - 1, 0).perform();
      String legendTime = browser.driver.findElement(By.cssSelector("#growth-chart .u-legend .u-series:first-child .u-value"))
          .getText();
      assertTrue(legendTime.contains("07:11:43") && legendTime.contains("UTC"), "the latest capture, in UTC: " + legendTime);
      browser.screenshot("scripted-chart-utc");
    } finally {
      browser.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
    }
  }

  @Test
  void shouldSayTheRangeHoldsNoCapturesWhenAFlameGraphsRangeIsEmpty() {
    long from = T0 - 3_600_000;
    api.answer(SVC + "/top", top(from, T0, 0, 0, List.of()));
    assertEquals("ready", browser.go("/#/flame/svc?from=" + from + "&to=" + T0));
    String note = browser.driver.findElement(By.id("no-data")).getText();
    assertTrue(note.contains("no captures"), note);
    browser.screenshot("scripted-flame-empty");

    api.answer(SVC + "/diff", diff(side(from - 3_600_000, from, 0, 0), side(from, T0, 0, 0)));
    assertEquals("ready", browser.navigate("#/diff/svc?from=" + from + "&to=" + T0));
    assertTrue(browser.driver.findElement(By.id("no-data")).getText().contains("no captures"));
    assertTrue(browser.driver.findElements(By.id("empty-base")).isEmpty(),
        "no claim that everything shows as growth when nothing shows");
  }

  @Test
  void shouldCompareTheShownRangeWithTheOneBeforeItWhenTheFlameGraphsDiffLinkIsFollowed() {
    long from = T0 - 600_000;
    api.answer(SVC + "/top", oneStackTop(from, T0));
    api.answer(SVC + "/diff", diff(side(from - 600_000, from, 1, 1000), side(from, T0, 1, 1000)));
    assertEquals("ready", browser.go("/#/flame/svc?metric=inuse_space&from=" + from + "&to=" + T0));
    api.forget();
    browser.driver.findElement(By.linkText("Compare with the range before")).click();
    await().atMost(Duration.ofSeconds(30)).until(() -> browser.driver.getCurrentUrl().contains("#/diff/")
        && "ready".equals(browser.settled()));
    String asked = api.asked().stream().filter(a -> a.startsWith(SVC + "/diff?")).findFirst().orElseThrow();
    assertTrue(asked.contains("from=" + from) && asked.contains("to=" + T0), "the flame graph's range as the target: " + asked);
  }

  @Test
  void shouldKeepTheSearchTypedSinceTheViewOpenedWhenTheToolbarIsApplied() {
    api.answer(SVC + "/top", oneStackTop(T0 - 600_000, T0));
    assertEquals("ready", browser.go("/#/flame/svc?metric=inuse_space&q=main"));
    WebElement search = browser.driver.findElement(By.name("q"));
    search.clear();
    search.sendKeys("alpha");
    new Select(browser.driver.findElement(By.name("metric"))).selectByValue("inuse_objects");
    browser.driver.findElement(By.cssSelector("form.toolbar button[type=submit]")).click();
    await().atMost(Duration.ofSeconds(30)).until(() -> browser.driver.getCurrentUrl().contains("metric=inuse_objects")
        && "ready".equals(browser.settled()));
    assertTrue(browser.driver.getCurrentUrl().contains("q=alpha"), browser.driver.getCurrentUrl());
    assertEquals("alpha", browser.driver.findElement(By.name("q")).getAttribute("value"));
  }

  @Test
  void shouldCountMatchingFramesTooThinToDrawInTheSearchShare() {
    // one heavy stack and 200 stacks of 2 bytes each whose leaf matches: together 400 of 100,400
    // bytes (0.4 %), each far under a pixel wide
    double total = 100_400;
    List<String> rows = new ArrayList<>();
    rows.add(row("00000000000000b0", 100_000, total, "main.big", "main.main"));
    for (int i = 0; i < 200; i++) {
      rows.add(row(String.format("%016x", 0xc000 + i), 2, total, "pkg.needle", "pkg.caller" + i, "main.main"));
    }
    api.answer(SVC + "/top", top(T0 - 600_000, T0, 1, total, rows));
    assertEquals("ready", browser.go("/#/flame/svc?q=needle"));
    String info = browser.driver.findElement(By.cssSelector(".flame-info")).getText();
    assertEquals("\"needle\" matches 0.4% of the view", info);
  }

  @Test
  void shouldAskForTheRangeUpToNowWhenARelativePresetIsChosen() {
    // "Last 15 minutes" is [now-15m, now): with `to` left to the API's default (just after the
    // service's latest capture), a service silent for longer answers 400 "from must be before to"
    api.answer(SVC + "/top", oneStackTop(T0 - 600_000, T0));
    assertEquals("ready", browser.go("/#/flame/svc?metric=inuse_space"));
    api.forget();
    new Select(browser.driver.findElement(By.name("preset"))).selectByValue("now-15m");
    await().atMost(Duration.ofSeconds(30)).until(() -> browser.driver.getCurrentUrl().contains("from=now-15m")
        && "ready".equals(browser.settled()));
    String asked = api.asked().stream().filter(a -> a.startsWith(SVC + "/top?")).findFirst().orElseThrow();
    assertTrue(asked.contains("from=now-15m") && asked.contains("to=now&"), asked);
    assertEquals("now-15m", new Select(browser.driver.findElement(By.name("preset"))).getFirstSelectedOption()
        .getAttribute("value"), "the preset stays chosen");
  }

  @Test
  void shouldNameTheRangeCustomWhenTheBoundsAreNoPreset() {
    long from = T0 - 600_000;
    api.answer(SVC + "/top", oneStackTop(from, T0));
    assertEquals("ready", browser.go("/#/flame/svc?from=" + from + "&to=" + T0));
    assertEquals("Custom range", new Select(browser.driver.findElement(By.name("preset"))).getFirstSelectedOption().getText());
    assertEquals("ready", browser.navigate("#/flame/svc"));
    assertEquals("Latest hour of data", new Select(browser.driver.findElement(By.name("preset"))).getFirstSelectedOption()
        .getText());
  }

  @Test
  void shouldDrawATrendOnEveryInstanceWithARateAtItsOwnRateAndListEachInstancesRate() {
    // replica-0 rises 200,000 bytes a second, replica-1 100,000 (a guard holds its report back), replica-2
    // has no rate; the suspect lists two instances, so its one rate is theirs together
    api.answer(SVC + "/suspects/s2", suspect("s2", "replica-0", "replica-1"));
    // labels as the API gives them: a markup-like value must show as text
    api.answer(SVC + "/suspects/s2/series", seriesOf(
        entry("replica-0", 200_000, growth(720_000_000.0, "GROWING"), "{\"region\":\"<b>eu</b>\",\"version\":\"1.4.2\"}", false),
        entry("replica-1", 100_000, growth(360_000_000.0, "WARMING_UP"), "{\"version\":\"1.4.1\"}", true),
        entry("replica-2", 0, null, "{}", false)));
    assertEquals("ready", browser.go("/#/suspect/svc/s2"));
    List<String> legend = browser.textContents("#growth-chart .u-legend .u-series th");
    assertEquals(List.of("replica-0 trend", "replica-1 trend"), legend.stream().filter(l -> l.endsWith(" trend")).toList(),
        "a trend on each instance with a rate, none on replica-2: " + legend);

    // the cursor on the latest capture: each trend passes through its own instance's value there,
    // which a line at any other slope, placed through the median as it is, would not
    WebElement over = browser.driver.findElement(By.cssSelector("#growth-chart .u-over"));
    new Actions(browser.driver).moveToElement(over, over.getSize().getWidth() / 2 - 1, 0).perform();
    Map<String, String> values = legendValues();
    assertEquals(values.get("replica-0"), values.get("replica-0 trend"), values.toString());
    assertEquals(values.get("replica-1"), values.get("replica-1 trend"), values.toString());
    assertTrue(!values.get("replica-0").equals(values.get("replica-1")), values.toString());

    // 720,000,000 B = 686.6 MiB and 360,000,000 B = 343.3 MiB, per hour
    List<String> rows = browser.textContents("#instance-rates tbody tr");
    assertEquals(3, rows.size(), rows.toString());
    assertTrue(rows.get(0).startsWith("replica-0region=<b>eu</b>, version=1.4.2+686.6 MiB/hour4 captures")
        && rows.get(0).endsWith("growing"), rows.get(0));
    assertTrue(rows.get(1).startsWith("replica-1version=1.4.1, (more not kept)+343.3 MiB/hour")
        && rows.get(1).endsWith("warming up"), rows.get(1));
    assertTrue(rows.get(2).startsWith("replica-2––") && rows.get(2).contains("no rate"), rows.get(2));
    assertTrue(browser.driver.findElements(By.cssSelector("#instance-rates b")).isEmpty(), "a label value is never markup");
    String note = browser.driver.findElement(By.id("trend-note")).getText();
    assertTrue(note.contains("its own rate"), note);
    browser.screenshot("scripted-trend-per-instance");
  }

  @Test
  void shouldShowTheLabelsThatSetTheSuspectsInstancesApartRarestFirstAndAsText() {
    // 2 of 1000 counted live instances (of 5000) run 1.4.2 in eu, a markup-like region
    String pair = "{\"name\":\"%s\",\"value\":\"%s\",\"suspectInstances\":2,\"serviceInstances\":%d,"
        + "\"serviceLiveInstances\":1000}";
    api.answer(SVC + "/suspects/s3", suspectWithLabels("s3", "{\"liveInstances\":5000,\"countedInstances\":1000,"
        + "\"truncated\":true,\"instances\":[],\"instancesTruncated\":false,\"distinguishing\":["
        + String.format(pair, "version", "1.4.2", 2) + "," + String.format(pair, "region", "<b>eu</b>", 400) + "]}",
        "replica-0", "replica-1"));
    api.answer(SVC + "/suspects/s3/series", series("replica-0", "replica-1"));
    assertEquals("ready", browser.go("/#/suspect/svc/s3"));
    assertEquals(List.of("version=1.4.2 on 2 of 1000 live instances", "region=<b>eu</b> on 400 of 1000 live instances"),
        browser.textContents("#distinguishing-labels li"));
    assertEquals("counted: the first 1000 of 5000 live instances by name",
        browser.driver.findElement(By.id("labels-counted")).getText());
    assertTrue(browser.driver.findElements(By.cssSelector("#distinguishing-labels b")).isEmpty(), "a label value is never markup");
    browser.screenshot("scripted-distinguishing-labels");

    // nothing sets them apart; and an answer without the section (an older release, or labels unreadable)
    api.answer(SVC + "/suspects/s4", suspectWithLabels("s4", "{\"liveInstances\":2,\"countedInstances\":2,"
        + "\"truncated\":false,\"instances\":[],\"instancesTruncated\":false,\"distinguishing\":[]}", "replica-0"));
    api.answer(SVC + "/suspects/s4/series", series("replica-0"));
    assertEquals("ready", browser.go("/#/suspect/svc/s4"));
    assertEquals("nothing: the other live instances hold their labels too",
        browser.driver.findElement(By.id("distinguishing-labels")).getText());
    api.answer(SVC + "/suspects/s5", suspect("s5", "replica-0"));
    api.answer(SVC + "/suspects/s5/series", series("replica-0"));
    assertEquals("ready", browser.go("/#/suspect/svc/s5"));
    assertEquals("unknown (the labels could not be read)", browser.driver.findElement(By.id("distinguishing-labels")).getText());
  }

  @Test
  void shouldLinkEachRelatedSuspectOnlyWhenTheSuspectHasAny() {
    String goroutines = "98af2387dd85559e79dc43fe1dc7f350";
    api.answer(SVC + "/suspects/s6", suspectWithRelated("s6", List.of(goroutines), "replica-0"));
    api.answer(SVC + "/suspects/s6/series", series("replica-0"));
    assertEquals("ready", browser.go("/#/suspect/svc/s6"));
    WebElement related = browser.driver.findElement(By.id("related-suspects"));
    assertEquals("held by leaking goroutines: 98af2387dd85", related.getText());
    assertTrue(related.findElement(By.tagName("a")).getAttribute("href").endsWith("#/suspect/svc/" + goroutines),
        related.getAttribute("innerHTML"));

    api.answer(SVC + "/suspects/s7", suspectWithRelated("s7", List.of(), "replica-0"));
    api.answer(SVC + "/suspects/s7/series", series("replica-0"));
    assertEquals("ready", browser.go("/#/suspect/svc/s7"));
    assertTrue(browser.driver.findElements(By.id("related-suspects")).isEmpty(), "no row without related suspects");
  }

  @Test
  void shouldSayOnTheOverviewsCardWhichSuspectsAreTheSameBug() {
    String detail = suspectWithRelated("s8", List.of("98af2387dd85559e79dc43fe1dc7f350"), "replica-0");
    String suspect = detail.substring(detail.indexOf("{", 1), detail.lastIndexOf(",\"events\""));
    api.answerWhen("/api/v1/suspects", "status=open", "{\"status\":\"open\",\"count\":1,\"truncated\":false,"
        + "\"next\":null,\"suspects\":[" + suspect + "]}");
    api.answerWhen("/api/v1/suspects", "status=candidate", "{\"status\":\"candidate\",\"count\":0,"
        + "\"truncated\":false,\"next\":null,\"suspects\":[]}");
    api.answer("/api/v1/services", "{\"count\":0,\"truncated\":false,\"next\":null,\"services\":[]}");
    assertEquals("ready", browser.go("/#/"));
    WebElement card = browser.driver.findElement(By.cssSelector(".suspect-card[data-suspect-id='s8']"));
    assertEquals("same bug as 98af2387dd85 (goroutines holding this heap)",
        card.findElement(By.cssSelector(".related")).getText());
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldChooseTheUnitOfAnAmountByTheNumberAsPrintedNotBeforeRounding() {
    browser.go("/");
    // the page's own formatting module, as every view imports it
    List<String> shown = (List<String>) browser.driver.executeScript(String.join("\n",
        "return import('/ui/js/format.js').then((f) => [",
        "  f.bytes(1023), f.bytes(1023.6), f.bytes(1536), f.bytes(10234), f.bytes(1048575), f.bytes(-1048575),",
        "  f.bytes(1073741823), f.count(9999), f.count(9999.96), f.count(999_949), f.count(999_990),",
        "  f.rate(1048575, 'bytes/hour')]);"));
    assertEquals(List.of("1023 B", "1.00 KiB", "1.50 KiB", "9.99 KiB", "1.00 MiB", "-1.00 MiB",
        "1.00 GiB", "9999", "10.0k", "999.9k", "1.00M", "+1.00 MiB/hour"), shown);
  }

  /** The growth chart's legend: each series' label and the value it shows at the cursor. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> legendValues() {
    return (Map<String, String>) browser.driver.executeScript(String.join("\n",
        "const out = {};",
        "for (const r of document.querySelectorAll('#growth-chart .u-legend .u-series')) {",
        "  out[r.querySelector('th').textContent] = r.querySelector('.u-value').textContent;",
        "}",
        "return out;"));
  }

  @Test
  void shouldShowAResolvedSuspectWithTheEvidenceOfItsLatestEventWhenItsSiteIsNoLongerTracked() {
    List<String> evidence = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      evidence.add("{\"instance\":\"replica-0\",\"time\":\"" + Instant.ofEpochMilli(T0 + i * 1000L) + "\",\"value\":"
          + (1_000_000 + i * 200_000) + "}");
    }
    // a link pasted before the suspect resolved: the suspect and its events answer, its series is a 404
    api.answer(SVC + "/suspects/s4", suspect("s4", "replica-0")
        .replace("\"state\":\"open\",\"lastStatus\":\"OPEN\"", "\"state\":\"resolved\",\"lastStatus\":\"RESOLVED\"")
        .replace("\"evidence\":[]", "\"evidence\":[" + String.join(",", evidence) + "]"));
    assertEquals("ready", browser.go("/#/suspect/svc/s4"));
    assertTrue(api.asked().contains(SVC + "/suspects/s4/series"), "the series was asked: " + api.asked());
    assertTrue(browser.driver.findElement(By.id("evidence-note")).getText().contains("no longer tracked"));
    assertTrue(browser.textContents("#growth-chart .u-legend .u-series th").contains("replica-0"), "the evidence charted");
    assertEquals("resolved", browser.driver.findElement(By.cssSelector(".facts .badge")).getText().toLowerCase());
  }

  @Test
  void shouldCompareWhatTheRowsLeaveOfEachSidesTotalAsOtherStacksInTheDiff() {
    long baseFrom = T0 - 1_200_000;
    long from = T0 - 600_000;
    String stack = row("00000000000000a1", 1000, 1500, "main.alpha", "main.main");
    // each side's one row (the API's heaviest) leaves some of its total to stacks beyond the limit
    api.answer(SVC + "/diff", diff(side(baseFrom, from, 1, 1500), side(from, T0, 1, 2000)));
    api.answerWhen(SVC + "/top", "from=" + baseFrom, top(baseFrom, from, 1, 1500, List.of(stack)));
    api.answerWhen(SVC + "/top", "from=" + from, top(from, T0, 1, 2000, List.of(stack)));
    assertEquals("ready", browser.go("/#/diff/svc?baseFrom=" + baseFrom + "&baseTo=" + from + "&from=" + from + "&to=" + T0));
    WebElement other = browser.driver.findElement(By.cssSelector("#flame g.frame[data-name='(other stacks)']"));
    assertTrue(other.getAttribute("class").contains("grow"), "500 B then 1000 B per capture: grew");
    String root = browser.driver.findElement(By.cssSelector("#flame g.frame[data-name='all'] title")).getAttribute("textContent");
    assertTrue(root.contains("base 1.46 KiB → target 1.95 KiB"), "the sides' totals: " + root);
  }

  @Test
  void shouldDrawASingleCaptureInTheMiddleOfAnHourWhenItIsAllTheChartHas() {
    // a first capture, or the first after a restart: uPlot alone spreads one time over years
    api.answer(SVC + "/suspects/s5", suspect("s5", "replica-0"));
    api.answer(SVC + "/suspects/s5/series", series("replica-0").replaceAll("\\},\\{\"time[^\\]]*\\]", "}]"));
    assertEquals("ready", browser.go("/#/suspect/svc/s5"));
    // where the point's blue (PALETTE[0], #2457c5) is drawn, as a share of the plot's width
    Number where = (Number) browser.driver.executeScript(String.join("\n",
        "const c = document.querySelector('#growth-chart canvas'), over = document.querySelector('#growth-chart .u-over');",
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, xs = [];",
        "for (let i = 0; i < d.length; i += 4) if (d[i] === 36 && d[i + 1] === 87 && d[i + 2] === 197) xs.push((i / 4) % c.width);",
        "const left = over.getBoundingClientRect().left - c.getBoundingClientRect().left, scale = c.width / c.clientWidth;",
        "return xs.length === 0 ? -1 : ((xs.reduce((a, b) => a + b, 0) / xs.length) / scale - left) / over.clientWidth;"));
    assertTrue(where.doubleValue() > 0.4 && where.doubleValue() < 0.6, "the point in the middle of the plot: " + where);
  }

  @Test
  void shouldShowTheViewWhenTryAgainIsClickedAfterTheServerStayedBusy() {
    api.answer(SVC + "/top", oneStackTop(T0 - 600_000, T0));
    assertEquals("ready", browser.go("/#/flame/svc?metric=inuse_space"));
    browser.answerNextApiCallsWith503(List.of(true, true, true, true));
    assertEquals("error", browser.navigate("#/flame/svc"));
    assertEquals(4, browser.apiCallsFaked(), "the first answer and 3 retries");
    assertEquals("ready", browser.follow(browser.driver.findElement(By.id("try-again"))));
    assertTrue(browser.driver.getCurrentUrl().endsWith("#/flame/svc"), browser.driver.getCurrentUrl());
    assertEquals(List.of("main.main"), browser.driver.findElements(By.cssSelector("#flame g.frame[data-name='main.main']"))
        .stream().map(f -> f.getAttribute("data-name")).toList(), "the flame graph of the next answer");
  }
}
