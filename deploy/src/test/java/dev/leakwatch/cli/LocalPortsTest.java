package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo}, {@code local} and {@code kafka} with a port that is taken: exit 2 and how to choose another. */
class LocalPortsTest {

  @TempDir Path dir;

  private final CliRun cli = new CliRun();

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
      int code = cli.run("demo", "--corpus", Path.of(testdata, "corpus").toString(), "--api-port",
          Integer.toString(api.getLocalPort()), "--duration", "5");
      assertEquals(2, code, cli.err());
      assertTrue(cli.err().startsWith("demo: cannot serve the query API on 127.0.0.1:" + api.getLocalPort()),
          cli.err());
      assertTrue(cli.err().contains("pass --api-port 0 for a free port"), cli.err());
    }
  }

  @Test
  void localShouldRefuseAnApiPortOutsideTheRangeBeforeStartingAnything() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.yaml"), "- {service: orders, url: 'http://127.0.0.1:1'}\n");

    int code = cli.run("local", "--targets", targets.toString(), "--api-port", "99999", "--duration", "5");

    assertEquals(2, code, cli.err());
    assertTrue(cli.err().startsWith(
        "Invalid value for option '--api-port': '99999' is not a port (0 to 65535; 0 picks a free one)"), cli.err());
    assertEquals("", cli.out(), "nothing started");
  }

  @Test
  void localShouldExitWith2AndSuggestAFreePortWhenTheApiPortIsTaken() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.yaml"), "- {service: orders, url: 'http://127.0.0.1:1'}\n");
    try (ServerSocket api = taken()) {
      int code = cli.run("local", "--targets", targets.toString(), "--api-port", Integer.toString(api.getLocalPort()),
          "--duration", "5");
      assertEquals(2, code, cli.err());
      assertTrue(cli.err().contains("pass --api-port 0 for a free port"), cli.err());
    }
  }

  @Test
  void localShouldServeTheApiOnThePortItsConfigNamesWhenNoApiPortIsGiven() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.yaml"), "- {service: orders, url: 'http://127.0.0.1:1'}\n");
    try (ServerSocket api = taken()) {
      // the port is checked before anything starts: a taken one proves which port the API was to use
      Path config = Files.writeString(dir.resolve("processor.yaml"), "http: {port: " + api.getLocalPort() + "}\n");
      int code = cli.run("local", "--targets", targets.toString(), "--config", config.toString(), "--duration", "5");
      assertEquals(2, code, cli.err());
      assertTrue(cli.err().startsWith("local: cannot serve the query API on 127.0.0.1:" + api.getLocalPort()),
          cli.err());
    }
  }

  @Test
  void kafkaShouldExitWith2WhenItsPortIsTaken() throws Exception {
    try (ServerSocket client = taken(); ServerSocket controller = taken()) {
      int port = client.getLocalPort();
      int controllerPort = controller.getLocalPort();
      controller.close();
      int code = cli.run("kafka", "--data-dir", dir.resolve("kafka").toString(), "--port", Integer.toString(port),
          "--controller-port", Integer.toString(controllerPort));
      assertEquals(2, code, cli.err());
      assertTrue(cli.err().contains("client port 127.0.0.1:" + port + " is not available"), cli.err());
    }
  }

  @Test
  void kafkaShouldExitWith2NamingThePortWhenItIsNoUsablePortAndWriteNothing() {
    Path data = dir.resolve("kafka");
    for (String[] ports : new String[][] {{"70000", "9093"}, {"0", "9093"}, {"9092", "-1"}, {"19092", "19092"}}) {
      CliRun run = new CliRun();
      int code = run.run("kafka", "--data-dir", data.toString(), "--port", ports[0], "--controller-port", ports[1]);
      assertEquals(2, code, run.err());
      assertTrue(run.err().startsWith("leakwatch kafka: --"), run.err());
      assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }
    assertTrue(!Files.exists(data), "nothing written for ports that cannot work");
  }
}
