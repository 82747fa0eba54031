package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the query API's server (Jetty, Javalin and our handlers) logs under hostile traffic: a
 * request the client got wrong, or a client that leaves, is answered (if it still listens) but
 * writes no line, so a scanner or a flaky network cannot flood the log; a bug still writes its
 * stack trace. Lines are counted on stderr, where slf4j-simple writes (Jetty at WARN, as shipped).
 */
class HostileTrafficLoggingTest {

  private static final String TOKEN = "t0ken";
  private static final int REQUESTS = 10;
  private static final String LOGIN_HEAD = "POST " + UiRoutes.LOGIN + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/x-www-form-urlencoded\r\n";

  private StubServer stub;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void start() {
    stub = new StubServer(TOKEN);
    stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setErr(stderr);
    stub.close();
  }

  /** Sends {@code request} (ISO-8859-1 bytes) on a new connection and reads the answer to its end. */
  private String exchange(String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), stub.port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      s.shutdownOutput(); // a body shorter than announced ends here
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The lines logged once a request that fails inside the stub has logged its own (the marker). */
  private List<String> linesBeforeMarker() throws IOException {
    stub.api.failure = new IllegalStateException("marker bug");
    exchange("GET /api/v1/services HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> log.toString(StandardCharsets.UTF_8).contains("marker bug"));
    List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
    int marker = 0;
    while (!lines.get(marker).contains("GET /api/v1/services failed")) {
      marker++;
    }
    assertTrue(lines.stream().skip(marker).anyMatch(l -> l.contains("marker bug")), "a bug keeps its stack trace");
    return lines.subList(0, marker);
  }

  /** CR LF is written {@code \r\n} in the rows (a CSV row cannot hold a line break). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed chunked body | Transfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\ntoken=x\\r\\n",
      "body shorter than its length | Content-Length: 1000\\r\\n\\r\\ntoken=",
  })
  void shouldAnswer400WithoutLoggingWhenTheLoginFormsBodyCannotBeRead(String what, String rest) throws Exception {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      answers.add(exchange(LOGIN_HEAD + rest.replace("\\r\\n", "\r\n")));
    }
    List<String> lines = linesBeforeMarker();
    assertEquals(0, lines.size(), "no line per " + what + ": " + lines.size() + " lines for " + REQUESTS + " requests");
    for (String answer : answers) {
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("\"error\":\"bad_body\""), answer);
    }
  }

  @Test
  void shouldLogNothingWhenRequestsAreMalformedBeforeTheRoutesOrClientsLeaveALargeAnswer() throws Exception {
    stub.api.profile = new byte[16 << 20];
    byte[] tlsHello = new byte[300]; // a TLS record header (handshake, TLS 1.0) then noise: TLS on the plain port
    tlsHello[0] = 0x16;
    tlsHello[1] = 3;
    tlsHello[2] = 1;
    tlsHello[4] = (byte) 0xff;
    for (int i = 0; i < REQUESTS; i++) {
      exchange("GARBAGE\r\n\r\n");
      exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(40_000) + "\r\n\r\n");
      exchange("GET /api/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      exchange(new String(tlsHello, StandardCharsets.ISO_8859_1));
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), stub.port)) {
        s.getOutputStream().write(("GET /api/v1/services/orders/profile/diff?type=heap HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getInputStream().readNBytes(4096); // the answer has begun
        s.setSoLinger(true, 0); // then the client resets the connection, as a killed download does
      }
    }
    assertEquals(List.of(), linesBeforeMarker(), "no line per hostile request");
  }
}
