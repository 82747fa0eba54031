package dev.leakwatch.agent.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Something serving {@code net/http/pprof} for the agent to scrape: the project's Go fixture
 * program ({@code testdata/goleaker}) when {@code go} is installed, else a {@link FixtureTarget}
 * serving recorded Go profiles.
 */
public final class PprofTarget implements AutoCloseable {
  private final int port;
  private final Process process;
  private final FixtureTarget recorded;

  private PprofTarget(int port, Process process, FixtureTarget recorded) {
    this.port = port;
    this.process = process;
    this.recorded = recorded;
  }

  /**
   * Starts the Go fixture program with {@code scenario} (see testdata/goleaker), or the recorded
   * stand-in when Go or the program is missing.
   *
   * @param workDir where the binary and its log go
   */
  public static PprofTarget start(String scenario, Path workDir) throws Exception {
    return start(scenario, workDir, List.of());
  }

  /**
   * As {@link #start(String, Path)}, passing {@code extraArgs} to the Go program after the
   * defaults (a repeated flag overrides, e.g. {@code -leak-delay 5s}).
   */
  public static PprofTarget start(String scenario, Path workDir, List<String> extraArgs) throws Exception {
    Path src = goleakerSource();
    if (src == null || !goAvailable()) {
      return new PprofTarget(0, null, new FixtureTarget());
    }
    Path bin = workDir.resolve("goleaker");
    run(List.of("go", "build", "-o", bin.toString(), "./cmd/goleaker"), src.toFile(), workDir.resolve("build.log"));
    int port = TestConfigs.freePort();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                bin.toString(), "-scenario", scenario, "-addr", "127.0.0.1:" + port,
                "-leak-delay", "0s", "-max-run", "5m"));
    cmd.addAll(extraArgs);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("goleaker.log").toFile())
            .start();
    PprofTarget t = new PprofTarget(port, p, null);
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/debug/pprof/"))
            .timeout(Duration.ofSeconds(2))
            .build();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException(
                    "goleaker exited: " + Files.readString(workDir.resolve("goleaker.log")));
              }
              return client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
    return t;
  }

  /** True when the target is a real Go process (false: recorded profiles). */
  public boolean realGo() {
    return process != null;
  }

  public int port() {
    return recorded != null ? recorded.port() : port;
  }

  /** The base URL to configure in the agent. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The recorded stand-in, or null for a real Go process. */
  public FixtureTarget recorded() {
    return recorded;
  }

  @Override
  public void close() {
    if (recorded != null) {
      recorded.close();
    }
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Path goleakerSource() {
    String testdata = System.getProperty("leakwatch.testdata");
    if (testdata == null) {
      return null;
    }
    Path src = Path.of(testdata, "goleaker");
    return Files.isRegularFile(src.resolve("go.mod")) ? src : null;
  }

  private static boolean goAvailable() {
    try {
      Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(List<String> cmd, File dir, Path log) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd + " failed: " + Files.readString(log));
    }
  }
}
