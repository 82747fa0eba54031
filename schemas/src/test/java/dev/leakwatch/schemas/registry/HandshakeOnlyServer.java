package dev.leakwatch.schemas.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on the loopback that completes handshakes and answers nothing: with {@code
 * requireClientCertificate}, a client without one gets the fatal alert that the JDK's TLS stack
 * (like Jetty's and Go's) sends, which the JDK's {@code HttpsServer} (the registry fake) does not.
 */
final class HandshakeOnlyServer implements AutoCloseable {

  private final SSLServerSocket socket;
  private final Thread acceptor;

  private HandshakeOnlyServer(SSLServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::handshakeEach, "handshake-only-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static HandshakeOnlyServer start(SSLContext context, boolean requireClientCertificate) throws IOException {
    SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
    socket.setNeedClientAuth(requireClientCertificate);
    return new HandshakeOnlyServer(socket);
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + socket.getLocalPort());
  }

  private void handshakeEach() {
    while (!socket.isClosed()) {
      try (SSLSocket connection = (SSLSocket) socket.accept()) {
        connection.startHandshake();
        connection.getInputStream().read(); // hold the connection until the client goes
      } catch (IOException refusedOrClosed) {
        // the client's missing certificate, the client going, or close()
      }
    }
  }

  @Override
  public void close() throws Exception {
    socket.close();
    acceptor.join(10_000);
  }
}
