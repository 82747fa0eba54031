package dev.leakwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real Javalin (Jetty) server with the deadline installed, and raw sockets as clients. */
class BodyDeadlineTest {

  private static final Duration LIMIT = Duration.ofMillis(800);
  private Javalin app;

  @BeforeEach
  void start() {
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.jetty.modifyServer(s -> s.setHandler(new BodyDeadline(LIMIT)));
      cfg.routes.post("/echo", ctx -> {
        try (InputStream in = ctx.bodyInputStream()) {
          ctx.result("read " + in.readAllBytes().length);
        } catch (IOException e) {
          BodyTimeoutException t = BodyTimeoutException.in(e);
          ctx.status(t == null ? 400 : 408).header("Connection", "close").result(String.valueOf(e.getMessage()));
        }
      });
      cfg.routes.post("/form", ctx -> ctx.result("token " + ctx.formParam("token")));
      cfg.routes.exception(Exception.class, (e, ctx) ->
          ctx.status(BodyTimeoutException.in(e) != null ? 408 : 500).result(String.valueOf(e)));
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void shouldAnswer408ToABodyTrickledPastTheDeadlineWhileTheClientIsStillSending() throws Exception {
    String head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
    Trickle t = trickle(head);
    assertEquals("HTTP/1.1 408", t.statusLine.substring(0, 12), t.statusLine);
    assertTrue(t.response.contains("did not arrive within 800 ms"), t.response);
    assertTrue(t.sent < 100_000, "the server waited for the whole body: " + t.sent);
  }

  @Test
  void shouldBoundFormBodiesParsedByTheFramework() throws Exception {
    String head = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: 100000\r\n\r\ntoken=";
    Trickle t = trickle(head);
    assertEquals("HTTP/1.1 408", t.statusLine.substring(0, 12), t.statusLine);
  }

  @Test
  void shouldReadABodyThatArrivesInTime() throws Exception {
    byte[] body = new byte[200_000];
    try (Socket s = new Socket("127.0.0.1", app.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.endsWith("read 200000"), response);
    }
  }

  private record Trickle(String statusLine, String response, int sent) {}

  /** Sends {@code head}, then one byte every 20 ms until the server answers or closes. */
  private Trickle trickle(String head) throws IOException {
    try (Socket s = new Socket("127.0.0.1", app.port())) {
      s.setSoTimeout(20);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      StringBuilder response = new StringBuilder();
      int sent = 0;
      byte[] buf = new byte[4096];
      // bounded: 100,000 bytes at 20 ms would take over half an hour; the answer comes long before
      while (sent < 100_000) {
        try {
          out.write('a');
          out.flush();
          sent++;
        } catch (IOException closed) {
          s.setSoTimeout(5000);
        }
        try {
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          response.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          if (response.indexOf("\r\n\r\n") >= 0 && !response.toString().endsWith("\r\n\r\n")) {
            break;
          }
        } catch (java.net.SocketTimeoutException nothingYet) {
          // keep trickling
        }
      }
      String r = response.toString();
      return new Trickle(r.isEmpty() ? "(none)" : r.lines().findFirst().orElse(""), r, sent);
    }
  }
}
