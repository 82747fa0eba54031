package dev.leakwatch.agent.discovery;

import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.KubernetesSettings;
import dev.leakwatch.agent.config.PemFile;
import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK client the API requests go through, trusting what the CA file holds now: the file is
 * read again before every request, like the token, and when its bytes changed (an API server CA
 * rotation updates the projected {@code ca.crt}) the client is rebuilt to trust the new
 * authorities. A changed file that does not parse (perhaps still being written) is logged once
 * and the last good client kept. Watches already open keep their connection. Thread-safe.
 */
final class KubernetesClient {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesClient.class);

  private final KubernetesSettings settings;
  /** The client for {@link #ca}. */
  private HttpClient client;
  /** What the CA file held when {@link #client} was built; null without a CA file. */
  private PemFile ca;
  /** A changed CA file that could not be used, so that it is logged once. */
  private PemFile rejected;

  KubernetesClient(KubernetesSettings settings) {
    this.settings = settings;
    this.ca = settings.ca();
    this.client = build(settings.tls());
  }

  /** The client to send the next request with; reads the CA file (may block as the file system). */
  synchronized HttpClient current() {
    if (settings.caFile() == null) {
      return client;
    }
    PemFile now = settings.readCa();
    if (now.equals(ca) || now.equals(rejected)) {
      return client;
    }
    try {
      client = build(settings.tls(now));
      ca = now;
      rejected = null;
      LOG.info("the API server CA file {} changed: trusting its authorities from now on",
          settings.caFile());
    } catch (ConfigException e) {
      rejected = now;
      LOG.warn("the API server CA file changed but cannot be used; keeping the previous one: {}",
          e.getMessage());
    }
    return client;
  }

  private static HttpClient build(SSLContext tls) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      b.sslContext(tls);
    }
    return b.build();
  }
}
