package dev.leakwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.query.PeerResponse;
import dev.leakwatch.query.UnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that answers slowly or not at all must not hold a query longer than {@code http.peerTimeout}:
 * peers here are raw sockets that stall where a real one might (before the headers, in the body).
 */
class HttpPeerClientTest {

  private static final Duration TIMEOUT = Duration.ofMillis(300);
  /** Far beyond the timeout: waiting this long means the client hung. */
  private static final long HUNG_SECONDS = 30;

  // sockets the peers' threads accept are added while the test runs
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void shouldGiveUpOnAPeerThatStallsInTheBodyWithoutRetrying() throws Exception {
    HostInfo peer = stallingPeer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");
    UnavailableException e = failure(new HttpPeerClient("self:1", null, TIMEOUT, 1 << 20).get(peer, "/api/v1/x"));
    assertFalse(e.retryable(), "another attempt would wait as long again");
    assertTrue(e.getMessage().contains("within 300 ms (http.peerTimeout)"), e.getMessage());
    assertEquals(List.of("host 127.0.0.1:" + peer.port() + ": timed out"), e.details());
  }

  @Test
  void shouldGiveUpOnAPeerThatNeverAnswersWithoutRetrying() throws Exception {
    HostInfo peer = stallingPeer("");
    UnavailableException e = failure(new HttpPeerClient("self:1", null, TIMEOUT, 1 << 20).get(peer, "/api/v1/x"));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("did not answer /api/v1/x within 300 ms"), e.getMessage());
  }

  @Test
  void shouldReadAWholeAnswerThatArrivesInTime() throws Exception {
    String json = "{\"ok\":true}";
    HostInfo peer = stallingPeer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + json.length() + "\r\n\r\n" + json);
    PeerResponse r = new HttpPeerClient("self:1", null, TIMEOUT, 1 << 20).get(peer, "/api/v1/x")
        .get(HUNG_SECONDS, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertEquals(json, new String(r.body(), StandardCharsets.UTF_8));
  }

  private static UnavailableException failure(CompletableFuture<PeerResponse> answer) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(HUNG_SECONDS, TimeUnit.SECONDS));
    return assertInstanceOf(UnavailableException.class, e.getCause());
  }

  /** A peer that reads one request, writes {@code reply} and then keeps the connection open, silent. */
  private HostInfo stallingPeer(String reply) throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    open.add(server);
    Thread t = new Thread(() -> {
      try {
        Socket s = server.accept();
        open.add(s);
        readHeaders(s.getInputStream());
        OutputStream out = s.getOutputStream();
        out.write(reply.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException ignored) {
        // closed at the end of the test
      }
    }, "stalling-peer");
    t.setDaemon(true);
    t.start();
    return new HostInfo("127.0.0.1", server.getLocalPort());
  }

  private static void readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      seen.write(b);
      if (seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        return;
      }
    }
  }
}
