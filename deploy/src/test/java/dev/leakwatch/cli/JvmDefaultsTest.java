package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * On a machine of two CPUs (the JVM told so with {@code -XX:ActiveProcessorCount=2}), asynchronous HTTP
 * exchanges reuse threads once {@link JvmDefaults} applied, instead of starting one per exchange.
 */
class JvmDefaultsTest {

  private static final int REQUESTS = 100;

  @Test
  void shouldReuseThreadsForAsyncHttpExchangesOnTwoCpus() throws Exception {
    long started = threadsStartedInChildJvm();
    assertTrue(started < REQUESTS / 4, "threads started for " + REQUESTS + " exchanges: " + started);
  }

  private static long threadsStartedInChildJvm() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-XX:ActiveProcessorCount=2", "-cp",
        System.getProperty("java.class.path"), JvmDefaultsProbe.class.getName(), Integer.toString(REQUESTS)))
        .redirectErrorStream(true).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the probe did not finish");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    Matcher m = Pattern.compile("threads started: (\\d+)").matcher(out);
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }
}
