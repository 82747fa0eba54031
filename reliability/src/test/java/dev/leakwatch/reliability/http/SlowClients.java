package dev.leakwatch.reliability.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slowloris-style clients on loopback: some send a request head one byte per tick and never end
 * it; others send a complete head and then their body one byte per tick, holding a server thread
 * each. Bounded: a fixed number of sockets, one byte per socket per tick, stopped by {@link #close}.
 */
final class SlowClients implements AutoCloseable {

  private static final long TICK_MS = 100;

  private final List<Socket> sockets = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong trickled = new AtomicLong();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "slow-clients");
    t.setDaemon(true);
    return t;
  });

  private SlowClients() {}

  /**
   * @param headClients connections that trickle an endless request head
   * @param bodyClients connections that send {@code bodyHead} at once, then trickle its body
   */
  static SlowClients start(int port, int headClients, int bodyClients, String bodyHead) throws IOException {
    SlowClients c = new SlowClients();
    byte[] head = ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "x".repeat(4000))
        .getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < headClients; i++) {
      c.trickle(c.connect(port), head, 0);
    }
    byte[] body = new byte[4000];
    for (int i = 0; i < bodyClients; i++) {
      Socket s = c.connect(port);
      s.getOutputStream().write(bodyHead.getBytes(StandardCharsets.ISO_8859_1));
      c.trickle(s, body, 0);
    }
    return c;
  }

  /** Bytes trickled so far, over all connections. */
  long trickled() {
    return trickled.get();
  }

  /** Connections whose writes have not failed yet. */
  int stillOpen() {
    return open.get();
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    sockets.add(s);
    open.incrementAndGet();
    return s;
  }

  private void trickle(Socket s, byte[] bytes, int from) {
    ticker.schedule(() -> {
      try {
        OutputStream out = s.getOutputStream();
        out.write(bytes[from % bytes.length]);
        out.flush();
        trickled.incrementAndGet();
        trickle(s, bytes, from + 1);
      } catch (IOException closed) {
        open.decrementAndGet();
      }
    }, TICK_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws IOException {
    ticker.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
