package dev.leakwatch.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards every connection accepted on a local port to {@code host:port}, byte for byte, so that
 * an address given to the agent can start answering later: bind it with {@link #start} once the
 * test wants the "broker" there. Kafka clients use it only to bootstrap; afterwards they connect to
 * the broker's advertised address themselves.
 */
public final class TcpForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final String host;
  private volatile int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private TcpForwarder(ServerSocket server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /** Listens on {@code localPort} of 127.0.0.1 and forwards to {@code host:port}. */
  public static TcpForwarder start(int localPort, String host, int port) throws IOException {
    ServerSocket s = new ServerSocket(localPort, 50, InetAddress.getLoopbackAddress());
    TcpForwarder f = new TcpForwarder(s, host, port);
    Thread accept = new Thread(f::acceptLoop, "tcp-forwarder-" + localPort);
    accept.setDaemon(true);
    accept.start();
    return f;
  }

  /** The port it listens on. */
  public int localPort() {
    return server.getLocalPort();
  }

  /**
   * Sends connections accepted from now on to {@code newPort} of the same host (connections already
   * open stay where they are): one address whose server is replaced, as a target that restarted.
   */
  public void retarget(int newPort) {
    this.port = newPort;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket(host, port);
        open.add(in);
        open.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side went away: the other follows below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-forwarder-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(TcpForwarder::closeQuietly);
  }
}
