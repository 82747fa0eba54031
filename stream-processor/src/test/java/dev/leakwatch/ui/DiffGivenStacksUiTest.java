package dev.leakwatch.ui;

import static dev.leakwatch.ui.ApiAnswers.T0;
import static dev.leakwatch.ui.ApiAnswers.diff;
import static dev.leakwatch.ui.ApiAnswers.row;
import static dev.leakwatch.ui.ApiAnswers.side;
import static dev.leakwatch.ui.ApiAnswers.top;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The diff of two ranges whose heaviest rows differ: a stack among one side's rows but not the
 * other's, when the other side's rows leave stacks out, is asked of that side ({@code top?stacks=},
 * docs/API.md "Given stacks") and drawn with its values; only an owner that refuses {@code stacks}
 * (a release before it) leaves it "not known". Answers scripted in the documented shapes; both sides
 * have a total of 2000 B per capture in one capture, and three stacks: alpha in both sides' rows, beta
 * only in the base's, gamma only in the target's.
 */
class DiffGivenStacksUiTest {

  private static final String SVC = "/api/v1/services/svc";
  private static final long BASE_FROM = T0 - 1_200_000;
  private static final long FROM = T0 - 600_000;
  private static final String URL = "/#/diff/svc?baseFrom=" + BASE_FROM + "&baseTo=" + FROM + "&from=" + FROM + "&to=" + T0;
  private static final String BETA = "00000000000000b1";
  private static final String GAMMA = "00000000000000c1";
  private static final String ALPHA = row("00000000000000a1", 1000, 2000, "main.alpha", "main.main");
  private static final String ALPHA_GROWN = row("00000000000000a1", 1500, 2000, "main.alpha", "main.main");

  private static ScriptedUi ui;

  @BeforeAll
  static void open() throws Exception {
    ui = ScriptedUi.open();
  }

  @AfterAll
  static void close() {
    if (ui != null) {
      ui.close();
    }
  }

  /** Each side's heaviest rows: two of its three stacks. */
  @BeforeEach
  void script() {
    ui.browser.driver.get("about:blank"); // every test loads the same view afresh
    ui.api.forget();
    ui.api.answer(SVC + "/diff", diff(side(BASE_FROM, FROM, 1, 2000), side(FROM, T0, 1, 2000)));
    ui.api.answerWhen(SVC + "/top", "from=" + BASE_FROM, top(BASE_FROM, FROM, 1, 2000,
        List.of(ALPHA, row(BETA, 400, 2000, "main.beta", "main.main")), 3));
    ui.api.answerWhen(SVC + "/top", "from=" + FROM, top(FROM, T0, 1, 2000,
        List.of(ALPHA_GROWN, row(GAMMA, 300, 2000, "main.gamma", "main.main")), 3));
  }

  @Test
  void shouldDrawEachSidesMissingStacksWithTheValuesTheirRangeGivesWhenEachSideIsAskedForThem() {
    // gamma had 250 B in the base; beta has no value in the target (absent from the answer)
    ui.api.answerWhen(SVC + "/top", "from=" + BASE_FROM + "&stacks=" + GAMMA, top(BASE_FROM, FROM, 1, 2000,
        List.of(row(GAMMA, 250, 2000, "main.gamma", "main.main")), 3));
    ui.api.answerWhen(SVC + "/top", "from=" + FROM + "&stacks=" + BETA, top(FROM, T0, 1, 2000, List.of(), 3));

    assertEquals("ready", ui.browser.go(URL));

    assertTrue(frameClass("main.gamma").contains("grow"), "250 B then 300 B: " + frameClass("main.gamma"));
    assertTrue(title("main.gamma").contains("base 250 B → target 300 B"), title("main.gamma"));
    assertTrue(frameClass("main.beta").contains("shrink"), "400 B then none: " + frameClass("main.beta"));
    assertTrue(title("main.beta").contains("base 400 B → target 0 B"), title("main.beta"));
    assertTrue(title("(other stacks)").contains("base 350 B → target 200 B"),
        "what the rows and the given stacks leave of each total: " + title("(other stacks)"));
    assertEquals(List.of(SVC + "/top?metric=inuse_space&from=" + BASE_FROM + "&to=" + FROM + "&frames=128&stacks=" + GAMMA,
        SVC + "/top?metric=inuse_space&from=" + FROM + "&to=" + T0 + "&frames=128&stacks=" + BETA), stacksAsked());
    assertTrue(ui.browser.driver.findElements(By.cssSelector("#flame g.frame.unsure")).isEmpty(), "nothing unknown");
    assertTrue(ui.browser.driver.findElements(By.id("unknown-note")).isEmpty());
    assertTrue(!legend().contains("not known"), legend());
  }

  @Test
  void shouldAskOnlyTheSideWhoseRowsLeaveStacksOutWhenTheOtherListsEveryStackItHas() {
    // the target's two rows are all it has: beta has no value there, known without asking
    ui.api.answerWhen(SVC + "/top", "from=" + FROM, top(FROM, T0, 1, 1800,
        List.of(ALPHA_GROWN, row(GAMMA, 300, 1800, "main.gamma", "main.main")), 2));
    ui.api.answerWhen(SVC + "/top", "from=" + BASE_FROM + "&stacks=" + GAMMA, top(BASE_FROM, FROM, 1, 2000, List.of(), 3));

    assertEquals("ready", ui.browser.go(URL));

    assertEquals(List.of(SVC + "/top?metric=inuse_space&from=" + BASE_FROM + "&to=" + FROM + "&frames=128&stacks=" + GAMMA),
        stacksAsked());
    assertTrue(frameClass("main.beta").contains("shrink"), frameClass("main.beta"));
    assertTrue(frameClass("main.gamma").contains("grow"), "new in the target: " + frameClass("main.gamma"));
  }

  /**
   * An owner of the release before {@code stacks} refuses it by name (docs/API.md): the stacks it was
   * asked for are drawn as not known, with the bound the side's rows give, and a note says why.
   */
  @Test
  void shouldDrawTheMissingStacksAsNotKnownWithTheirBoundWhenTheOwnerRefusesStacksAsAnOlderReleaseDoes() {
    String rule = "is not a parameter of /api/v1/services/{service}/top (it takes metric, from, to, limit, frames)";
    // the base is asked for gamma, the target for beta
    for (String id : List.of(BETA, GAMMA)) {
      ui.api.answerWhen(SVC + "/top", "from=" + (id.equals(GAMMA) ? BASE_FROM : FROM) + "&stacks=" + id, 400, "{\"status\":400,\"error\":\"bad_request\",\"message\":"
          + "\"parameter 'stacks' = '" + id + "': " + rule + "\",\"parameter\":\"stacks\",\"value\":\"" + id
          + "\",\"rule\":\"" + rule + "\",\"details\":null,\"retryable\":null}");
    }

    assertEquals("ready", ui.browser.go(URL));

    assertTrue(frameClass("main.alpha").contains("grow"), frameClass("main.alpha"));
    assertTrue(frameClass("main.beta").contains("unsure"), "beta may be just below the target's cut: " + frameClass("main.beta"));
    assertTrue(frameClass("main.gamma").contains("unsure"), frameClass("main.gamma"));
    assertTrue(title("main.beta").contains("100.0% of it in stacks outside one side's 300 heaviest")
        && title("main.beta").contains("target at most 300 B each"), title("main.beta"));
    assertTrue(ui.browser.driver.findElement(By.id("unknown-note")).getText().contains("older release"),
        ui.browser.driver.findElement(By.id("unknown-note")).getText());
    assertTrue(legend().contains("not known"), legend());
  }

  private static List<String> stacksAsked() {
    return ui.api.asked().stream().filter(q -> q.contains("stacks=")).sorted().toList();
  }

  private static String frameClass(String name) {
    return ui.browser.driver.findElement(By.cssSelector("#flame g.frame[data-name='" + name + "']")).getAttribute("class");
  }

  private static String title(String name) {
    return ui.browser.driver.findElement(By.cssSelector("#flame g.frame[data-name='" + name + "'] title"))
        .getAttribute("textContent");
  }

  private static String legend() {
    return ui.browser.driver.findElement(By.cssSelector("p.legend")).getText();
  }
}
