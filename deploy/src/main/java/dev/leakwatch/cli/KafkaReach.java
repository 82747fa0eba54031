package dev.leakwatch.cli;

import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.publish.TopicSetup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * "Reach the cluster or fail clearly", for the commands that talk to a Kafka cluster directly:
 * before they start their work, an admin client asks the cluster for its nodes, bounded in time,
 * so an unreachable or misconfigured cluster ends the command with one line instead of clients
 * that retry (and log) for minutes.
 */
final class KafkaReach {

  private KafkaReach() {}

  /**
   * Asks the cluster at {@code client}'s {@code bootstrap.servers} for its nodes within {@code
   * within}.
   *
   * @param client client properties (security settings apply to the check too)
   * @return empty when the cluster answered, else why not: {@code cannot reach Kafka at SERVERS
   *     within T}, or the client's own reason (bad address, authentication failure)
   */
  static Optional<String> problem(Map<String, String> client, Duration within) {
    return ask(client, within, (admin, ms) -> {
      admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
      return Optional.empty();
    });
  }

  /**
   * As {@link #problem}, and also whether {@code topic} exists: a producer's first send to a missing
   * topic makes a broker that auto-creates topics (Kafka's default) create it with its own defaults.
   *
   * @return empty when the cluster answered and holds the topic, else why not ({@code no topic T on
   *     SERVERS}, or as {@link #problem})
   */
  static Optional<String> missingTopic(Map<String, String> client, String topic, Duration within) {
    return ask(client, within, (admin, ms) -> admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS)
        .contains(topic) ? Optional.empty()
        : Optional.of("no topic " + topic + " on " + client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)));
  }

  /** One question to the cluster through an admin client, bounded by {@code within}. */
  private interface AdminCall {
    Optional<String> ask(Admin admin, int ms) throws ExecutionException, TimeoutException, InterruptedException;
  }

  private static Optional<String> ask(Map<String, String> client, Duration within, AdminCall call) {
    String servers = client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, within.toMillis()));
    Optional<String> unresolvable = noHostResolves(servers);
    if (unresolvable.isPresent()) {
      return unresolvable;
    }
    // only connection and security settings concern the check
    Map<String, Object> config = TopicSetup.adminConfig(client, within);
    try (Admin admin = Admin.create(config)) {
      return call.ask(admin, ms);
    } catch (TimeoutException e) {
      return Optional.of(unreachable(servers, within));
    } catch (ExecutionException e) {
      return Optional.of(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
          ? unreachable(servers, within)
          : "cannot reach Kafka at " + servers + ": " + e.getCause().getMessage());
    } catch (KafkaException e) {
      // refused by the client itself, e.g. an unresolvable address or an unknown setting
      return Optional.of("cannot reach Kafka at " + servers + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while reaching Kafka at " + servers);
    }
  }

  /**
   * Why none of {@code servers} can be asked, when none of their hosts resolves; empty when one does
   * (or the list cannot be read: the client then says what is wrong with it). Checked before the
   * client is made because the client logs a WARN line per host it cannot resolve before it fails,
   * and the command promises one line. When some host resolves, the client goes ahead and its WARN
   * about the others is worth seeing.
   */
  static Optional<String> noHostResolves(String servers) {
    if (servers == null || servers.isBlank()) {
      return Optional.empty();
    }
    List<String> hosts = new ArrayList<>();
    for (String server : servers.split(",")) {
      String entry = server.trim();
      int colon = entry.lastIndexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      String host = entry.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        InetAddress.getAllByName(host);
        return Optional.empty();
      } catch (UnknownHostException e) {
        hosts.add(host);
      }
    }
    return Optional.of("cannot reach Kafka at " + servers + ": cannot resolve "
        + (hosts.size() == 1 ? "host " : "hosts ") + String.join(", ", hosts));
  }

  private static String unreachable(String servers, Duration within) {
    return "cannot reach Kafka at " + servers + " within " + Durations.format(within);
  }
}
