package dev.leakwatch.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver (tests skip when either is absent),
 * with a fresh profile directory, no network beyond the page's own origin, and screenshots saved
 * under {@code target/ui-screenshots}.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

  final ChromeDriver driver;
  private final String base;

  private Browser(ChromeDriver driver, String base) {
    this.driver = driver;
    this.base = base;
  }

  /** Skips the calling test unless Chromium and chromedriver are installed. */
  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
    assumeTrue(Files.isExecutable(CHROMEDRIVER), "no chromedriver at " + CHROMEDRIVER
        + " (apt-get install chromium-driver)");
  }

  static Browser open(int port) throws IOException {
    Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "ui-test")), "chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options), "http://127.0.0.1:" + port);
  }

  /** The server's origin, e.g. {@code http://127.0.0.1:8080}. */
  String base() {
    return base;
  }

  /** Opens a URL of the server ({@code /...}) and waits until the page's view has settled. */
  String go(String path) {
    driver.get(base + path);
    return settled();
  }

  /**
   * Waits until the app has finished drawing a view: ready, login or error; returns which. The
   * body is looked up afresh on every poll, so a page that is being replaced (a form post) is
   * waited out rather than failing on a stale element.
   */
  String settled() {
    return new WebDriverWait(driver, Duration.ofSeconds(30))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> {
          String s = state(d);
          return s == null || s.isEmpty() || "loading".equals(s) ? null : s;
        });
  }

  /**
   * Clicks {@code link}, which moves the app to another view, and settles on that view. The state
   * is cleared first: the router sets "loading" only once it handles the new address, and until then
   * the previous view's "ready" would pass for the new one's.
   */
  String follow(WebElement link) {
    driver.executeScript("document.body.dataset.state = ''");
    link.click();
    return settled();
  }

  /** Clicks {@code button}, which submits a form, waits for the next page to replace this one, and settles. */
  String submit(By button) {
    WebElement page = driver.findElement(By.tagName("body"));
    driver.findElement(button).click();
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(page));
    return settled();
  }

  private static String state(WebDriver d) {
    return d.findElement(By.tagName("body")).getAttribute("data-state");
  }

  /**
   * From now until the page is loaded again, answers the app's next API calls with these 503s
   * (one per element; {@code true} = retryable with {@code Retry-After: 1}, {@code false} = final)
   * instead of asking the server, and passes later calls through. {@link #apiCallsFaked} counts the
   * answered ones; {@link #busyNotes} records the loading note as each busy retry announced it.
   */
  void answerNextApiCallsWith503(List<Boolean> retryable) {
    driver.executeScript(String.join("\n",
        "const answers = arguments[0], real = window.fetch.bind(window);",
        "window.fakes = { served: 0, notes: [] };",
        "document.addEventListener('leakwatch-busy', () => window.fakes.notes.push(",
        "  document.getElementById('loading') ? document.getElementById('loading').textContent : null));",
        "window.fetch = (input, init) => {",
        "  if (!String(input).startsWith('/api/') || window.fakes.served >= answers.length) return real(input, init);",
        "  const retryable = answers[window.fakes.served++];",
        "  const body = { status: 503, error: 'unavailable', message: retryable ? 'busy' : 'cannot help', retryable };",
        "  const headers = retryable ? { 'Content-Type': 'application/json', 'Retry-After': '1' }",
        "    : { 'Content-Type': 'application/json' };",
        "  return Promise.resolve(new Response(JSON.stringify(body), { status: 503, headers }));",
        "};"), retryable);
  }

  long apiCallsFaked() {
    return ((Number) driver.executeScript("return window.fakes.served")).longValue();
  }

  @SuppressWarnings("unchecked")
  List<String> busyNotes() {
    return (List<String>) driver.executeScript("return window.fakes.notes");
  }

  /** Moves the app to another view (fragment {@code hash}) without loading the page again; settles. */
  String navigate(String hash) {
    driver.executeScript("document.body.dataset.state = ''; location.hash = arguments[0];", hash);
    return settled();
  }

  /**
   * From now on this tab ignores pages' Content-Security-Policy, so a script that markup in the data
   * smuggled in would run: tests then see what the UI's own code does, not what the CSP catches.
   */
  void bypassCsp() {
    driver.executeCdpCommand("Page.setBypassCSP", Map.of("enabled", true));
  }

  /** The {@code textContent} of every element matching {@code css}, exactly (no whitespace folding). */
  @SuppressWarnings("unchecked")
  List<String> textContents(String css) {
    return (List<String>) driver.executeScript(
        "return [...document.querySelectorAll(arguments[0])].map((e) => e.textContent)", css);
  }

  /**
   * True when a click at the centre of {@code e} (scrolled into view) would reach it: it has a size
   * and nothing is drawn over it.
   */
  boolean clickable(WebElement e) {
    return (Boolean) driver.executeScript(String.join("\n",
        "const e = arguments[0];",
        "e.scrollIntoView({ block: 'center', inline: 'center' });",
        "const r = e.getBoundingClientRect();",
        "if (r.width === 0 || r.height === 0) return false;",
        "const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);",
        "return hit !== null && (hit === e || e.contains(hit));"), e);
  }

  /**
   * What makes the page wider than the window: the innermost elements reaching past its right edge or
   * whose content spills out of them, as {@code tag#id.class}; empty when it needs no horizontal scrolling.
   */
  @SuppressWarnings("unchecked")
  List<String> widerThanTheWindow() {
    return (List<String>) driver.executeScript(String.join("\n",
        "const d = document.documentElement;",
        "if (d.scrollWidth <= d.clientWidth) return [];",
        "const wide = (e) => e.getBoundingClientRect().right > d.clientWidth + 1",
        "  || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible');",
        "const found = [...document.body.querySelectorAll('*')].filter((e) => wide(e) && ![...e.children].some(wide))",
        "  .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')",
        "    + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''));",
        "return found.length > 0 ? found : ['the page, by ' + (d.scrollWidth - d.clientWidth) + ' px'];"));
  }

  /** Saves the window as {@code target/ui-screenshots/<name>.png}. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path out = SCREENSHOTS.resolve(name + ".png");
      // The whole page (up to a bound) through the DevTools protocol: a window shows only the top.
      long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
      Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", 1440, "height", Math.min(Math.max(height, 600), 4000),
          "scale", 1);
      Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
          Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
      Files.write(out, Base64.getDecoder().decode((String) shot.get("data")));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
