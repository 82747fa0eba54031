package dev.leakwatch.query;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance of the application (at its {@code application.server}) for a resource of
 * the same API. Implementations mark the request as forwarded, carry the credentials, and bound
 * time and response size.
 */
public interface PeerClient {

  /**
   * GETs {@code pathAndQuery} from {@code host}. The future fails with an {@link
   * UnavailableException} when the host cannot be reached or does not answer in time; any HTTP
   * status, including errors, completes it normally.
   */
  CompletableFuture<PeerResponse> get(HostInfo host, String pathAndQuery);
}
