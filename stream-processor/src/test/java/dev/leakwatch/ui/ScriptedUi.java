package dev.leakwatch.ui;

import java.io.IOException;

/**
 * A {@link ScriptedApi} and headless Chromium ({@link Browser}) looking at it: what a test of the
 * views over scripted answers opens once and closes at the end. Skips the test (JUnit assumption)
 * without Chromium.
 */
final class ScriptedUi implements AutoCloseable {

  final ScriptedApi api;
  final Browser browser;

  private ScriptedUi(ScriptedApi api, Browser browser) {
    this.api = api;
    this.browser = browser;
  }

  static ScriptedUi open() throws IOException {
    Browser.assumeInstalled();
    ScriptedApi api = new ScriptedApi();
    try {
      return new ScriptedUi(api, Browser.open(api.port()));
    } catch (IOException | RuntimeException e) {
      api.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try (ScriptedApi a = api) {
      browser.close();
    }
  }
}
