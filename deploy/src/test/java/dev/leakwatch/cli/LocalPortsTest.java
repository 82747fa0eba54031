package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demo}, {@code local} and {@code kafka} with a port that is taken: exit 2 and how to choose another. */
class LocalPortsTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = LeakwatchCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static ServerSocket taken() throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress("127.0.0.1", 0));
    return s;
  }

  @Test
  void demoShouldExitWith2AndSuggestAFreePortWhenTheApiPortIsTaken() throws Exception {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null && Files.isDirectory(Path.of(testdata, "corpus")), "testdata/corpus not available");
    try (ServerSocket api = taken()) {
      int code = run("demo", "--corpus", Path.of(testdata, "corpus").toString(), "--api-port",
          Integer.toString(api.getLocalPort()), "--duration", "5");
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().startsWith("demo: cannot serve the query API on 127.0.0.1:" + api.getLocalPort()),
          err.toString());
      assertTrue(err.toString().contains("pass --api-port 0 for a free port"), err.toString());
    }
  }

  @Test
  void localShouldExitWith2AndSuggestAFreePortWhenTheApiPortIsTaken() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.yaml"), "- {service: orders, url: 'http://127.0.0.1:1'}\n");
    try (ServerSocket api = taken()) {
      int code = run("local", "--targets", targets.toString(), "--api-port", Integer.toString(api.getLocalPort()),
          "--duration", "5");
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("pass --api-port 0 for a free port"), err.toString());
    }
  }

  @Test
  void kafkaShouldExitWith2WhenItsPortIsTaken() throws Exception {
    try (ServerSocket client = taken(); ServerSocket controller = taken()) {
      int port = client.getLocalPort();
      int controllerPort = controller.getLocalPort();
      controller.close();
      int code = run("kafka", "--data-dir", dir.resolve("kafka").toString(), "--port", Integer.toString(port),
          "--controller-port", Integer.toString(controllerPort));
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("client port 127.0.0.1:" + port + " is not available"), err.toString());
    }
  }
}
