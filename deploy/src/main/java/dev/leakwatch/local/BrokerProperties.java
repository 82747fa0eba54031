package dev.leakwatch.local;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code server.properties} of a single-node KRaft broker that is also its own controller
 * ({@code process.roles=broker,controller}), with every internal topic at replication factor 1
 * and a message size limit that admits the largest profile envelope Leakwatch produces.
 */
final class BrokerProperties {
  /**
   * {@code message.max.bytes} of the local broker: 18 MiB, above the agent's default producer
   * {@code max.request.size} (16 MiB profile + 1 MiB headroom), so auto-created topics accept
   * every profile the agent accepts.
   */
  static final long MESSAGE_MAX_BYTES = 18L << 20;

  static final int NODE_ID = 1;

  private BrokerProperties() {}

  static Map<String, String> of(LocalKafkaSettings s) {
    String controller = s.host() + ":" + s.controllerPort();
    Map<String, String> p = new TreeMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.bootstrap.servers", controller);
    p.put("listeners", "PLAINTEXT://" + s.bootstrapServers() + ",CONTROLLER://" + controller);
    p.put("advertised.listeners", "PLAINTEXT://" + s.bootstrapServers() + ",CONTROLLER://" + controller);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", s.dataDir().resolve("data").toAbsolutePath().toString());
    p.put("num.partitions", "3");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("message.max.bytes", Long.toString(MESSAGE_MAX_BYTES));
    p.putAll(s.brokerProperties());
    return p;
  }

  static String render(Map<String, String> props) {
    Properties p = new Properties();
    p.putAll(props);
    StringWriter w = new StringWriter();
    try {
      p.store(w, "Written by Leakwatch's LocalKafka on each start; edits are overwritten");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
