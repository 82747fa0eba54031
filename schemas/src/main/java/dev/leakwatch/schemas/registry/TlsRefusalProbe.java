package dev.leakwatch.schemas.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Finds the TLS alert a request to an {@code https} URL missed.
 *
 * <p>In TLS 1.3 a client's handshake is over before the server has checked the client's
 * certificate; a server that requires one and got none (or refuses the one shown) answers with a
 * fatal alert ({@code certificate_required}, {@code bad_certificate}) and closes. A request written
 * at once, as {@code HttpURLConnection} writes a POST body, can fail on the closed connection first
 * ("Error writing to server", "Broken pipe") and never read the alert, which makes a configuration
 * error look like an outage. The probe connects again, completes a handshake, writes nothing and
 * waits briefly for the server's first bytes: an alert comes back as the {@link SSLException} it is.
 */
final class TlsRefusalProbe {

  private TlsRefusalProbe() {}

  /**
   * @param factory how the request's connection was made (trust, client certificate)
   * @param base the {@code https} URL whose request failed without a TLS error
   * @param waitMs how long to wait for an alert after the handshake, in milliseconds
   * @return the server's TLS refusal, or empty when it sent none within {@code waitMs} (an outage, a
   *     server that closes without an alert, or one waiting for a request)
   */
  static Optional<SSLException> refusal(SSLSocketFactory factory, URI base, int connectTimeoutMs, int waitMs) {
    int port = base.getPort() < 0 ? 443 : base.getPort();
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(base.getHost(), port), connectTimeoutMs);
      try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, base.getHost(), port, false)) {
        tls.setSoTimeout(waitMs);
        tls.startHandshake();
        tls.getInputStream().read();
      }
    } catch (SSLException refused) {
      return Optional.of(refused);
    } catch (IOException | RuntimeException noAlert) {
      // not reachable now, closed without an alert, or silent for waitMs: nothing to add
    }
    return Optional.empty();
  }
}
