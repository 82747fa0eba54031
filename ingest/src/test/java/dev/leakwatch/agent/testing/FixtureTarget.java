package dev.leakwatch.agent.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.leakwatch.agent.model.ProfileKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Stands in for a Go process when {@code go} is not available: serves recorded Go profiles under
 * {@code /debug/pprof/<type>} exactly as Go served them (gzip'd, no Content-Encoding), and answers
 * other profiles with 404 {@code Unknown profile} as {@code net/http/pprof} does.
 */
public final class FixtureTarget implements AutoCloseable {
  private final HttpServer server;
  private final Map<ProfileKind, byte[]> bodies = java.util.Collections.synchronizedMap(new EnumMap<>(ProfileKind.class));

  public FixtureTarget() throws IOException {
    this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
  }

  /**
   * The same over https, with {@code tls}'s certificate; with {@code needClientAuth} the target
   * refuses clients that show no certificate its trust store accepts.
   */
  public static FixtureTarget https(SSLContext tls, boolean needClientAuth) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(p);
          }
        });
    return new FixtureTarget(server);
  }

  private FixtureTarget(HttpServer server) {
    for (ProfileKind k : new ProfileKind[] {ProfileKind.HEAP, ProfileKind.GOROUTINE, ProfileKind.ALLOCS}) {
      bodies.put(k, Fixtures.profile(k));
    }
    this.server = server;
    server.createContext(
        "/debug/pprof/",
        ex -> {
          String name = ex.getRequestURI().getPath().substring("/debug/pprof/".length());
          byte[] body = ProfileKind.byEndpoint(name).map(bodies::get).orElse(null);
          int status = 200;
          if (body == null) {
            status = 404;
            body = "Unknown profile\n".getBytes(StandardCharsets.UTF_8);
          } else {
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
          }
          ex.sendResponseHeaders(status, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** From now on answers {@code kind} with 404 {@code Unknown profile}, as a Go process that lacks it. */
  public void withhold(ProfileKind kind) {
    bodies.remove(kind);
  }

  /** From now on serves {@code kind}'s fixture again (after {@link #withhold}): a target back up. */
  public void serve(ProfileKind kind) {
    bodies.put(kind, Fixtures.profile(kind));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The bytes served for {@code kind}. */
  public byte[] body(ProfileKind kind) {
    return bodies.get(kind);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
