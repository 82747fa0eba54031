package dev.leakwatch.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/** Whether a local address can be listened on, asked before anything that would need it starts. */
public final class Ports {

  private Ports() {}

  /**
   * Binds {@code host:port} for a moment and lets it go.
   *
   * @return empty when it could be bound, else the reason, e.g. {@code Address already in use}; port 0
   *     is bound too, as a free port, since the host may be no address of this machine ({@code Cannot
   *     assign requested address})
   */
  public static Optional<String> bindProblem(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }
}
