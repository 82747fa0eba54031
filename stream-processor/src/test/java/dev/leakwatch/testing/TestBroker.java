package dev.leakwatch.testing;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft cluster (combined broker and controller) in this JVM, for integration
 * tests: internal topics with one replica and no initial rebalance delay.
 */
public final class TestBroker {

  private TestBroker() {}

  /**
   * Formats and starts a cluster under {@code dir}, waiting until its broker is ready.
   *
   * @param extra further broker settings
   */
  public static KafkaClusterTestKit start(Path dir, Map<String, String> extra) throws Exception {
    TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
        .setNumControllerNodes(1).setBaseDirectory(dir).build();
    KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0");
    extra.forEach(b::setConfigProp);
    KafkaClusterTestKit cluster = b.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return cluster;
  }
}
