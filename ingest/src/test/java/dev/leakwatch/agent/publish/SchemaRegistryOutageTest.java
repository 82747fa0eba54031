package dev.leakwatch.agent.publish;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * With {@code schema.registry.url} set, every send asks the registry for the schema id before the
 * record reaches Kafka. A registry that is down or restarting says nothing about the profile, so
 * the profile must wait in the buffer like during a Kafka outage, not be dropped as unserializable.
 */
class SchemaRegistryOutageTest {

  /** A Confluent-style registry on a real HTTP server that answers 503 until switched on. */
  private static final class Registry implements AutoCloseable {
    private final HttpServer server;
    private final AtomicBoolean up = new AtomicBoolean();

    Registry() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/subjects/",
          ex -> {
            ex.getRequestBody().readAllBytes();
            boolean serving = up.get();
            byte[] body =
                (serving
                        ? "{\"id\":7}"
                        : "{\"error_code\":50003,\"message\":\"Error while forwarding the request\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            ex.sendResponseHeaders(serving ? 200 : 503, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void shouldKeepProfilesBufferedWhileTheSchemaRegistryIsDown() throws Exception {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    try (TestBroker broker = TestBroker.start();
        Registry registry = new Registry();
        Agent agent =
            Agent.start(
                TestConfigs.parse(
                    "kafka:\n  partitions: 1\n  replicationFactor: 1\n  client:\n"
                        + "    bootstrap.servers: " + broker.bootstrapServers() + "\n"
                        + "    schema.registry.url: " + registry.url() + "\n",
                    Path.of(".")))) {
      Http http = new Http(agent.httpPort());
      for (int i = 0; i < 2; i++) {
        var r =
            http.send(
                http.request("/ingest?service=s&instance=i" + i + "&type=heap")
                    .POST(BodyPublishers.ofByteArray(heap)));
        assertEquals(202, r.statusCode(), r.body());
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  agent.metrics().total("leakwatch.agent.publish.retries") >= 1
                      || agent.metrics().total("leakwatch.agent.publish.failures") > 0);
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.publish.failures"),
          "a registry outage is not a fault of the profile");
      assertEquals(0, agent.buffer().dropped());

      registry.up.set(true);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.metrics().total("leakwatch.agent.published") == 2);
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.publish.failures"));
      assertEquals(0, agent.buffer().dropped());
      assertEquals(0, agent.buffer().size());
    }
  }
}
