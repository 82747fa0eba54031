package dev.leakwatch.topology;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A processor instance in a child JVM ({@link ProcessorChild}) on the test's classpath, so a test
 * can kill it the hard way: {@link #kill()} is SIGKILL, no shutdown hook, no commit, no group
 * leave. Follows the child's {@code STATE} and {@code HTTP} lines.
 */
public final class ChildProcessor implements AutoCloseable {

  private final Process process;
  private final AtomicReference<String> state = new AtomicReference<>("");
  private final AtomicInteger httpPort = new AtomicInteger();

  private ChildProcessor(Process process) {
    this.process = process;
    Thread t = new Thread(this::follow, "child-processor-stdout");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Starts {@code ProcessorChild <yaml>} with a 512 MiB heap.
   *
   * @param stderr where the child's log goes (appended)
   */
  public static ChildProcessor start(String yaml, Path stderr) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ChildProcessor(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
        ProcessorChild.class.getName(), yaml)
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
        .start());
  }

  /** The child's last reported Kafka Streams state ({@code RUNNING}, ...), {@code GONE} once it exited. */
  public String state() {
    return state.get();
  }

  public boolean running() {
    return "RUNNING".equals(state.get());
  }

  /** The port of the child's query API, 0 until it reported it. */
  public int httpPort() {
    return httpPort.get();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, then waits for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("child processor " + process.pid() + " survived SIGKILL");
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private void follow() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("STATE ")) {
          state.set(line.substring(6).trim());
        } else if (line.startsWith("HTTP ")) {
          httpPort.set(Integer.parseInt(line.substring(5).trim()));
        }
      }
    } catch (IOException e) {
      // the pipe breaks when the child dies
    }
    state.set("GONE");
  }
}
