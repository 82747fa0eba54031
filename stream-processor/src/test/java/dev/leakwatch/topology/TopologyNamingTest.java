package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** Every processor, store and internal topic has a chosen name: renaming one orphans deployed state. */
class TopologyNamingTest {

  private static final Pattern GENERATED = Pattern.compile("(KSTREAM|KTABLE)-[A-Z]+-\\d+");

  @Test
  void shouldNameEveryNodeStoreAndRepartitionTopic() {
    TopologyDescription d = LeakwatchTopology.topology(TopologyConfig.defaults()).describe();
    String text = d.toString();

    Matcher generated = GENERATED.matcher(text);
    if (generated.find()) {
      fail("generated name " + generated.group() + " in\n" + text);
    }
    Set<String> stores = new TreeSet<>();
    d.subtopologies().forEach(s -> s.nodes().forEach(n -> {
      if (n instanceof TopologyDescription.Processor p) {
        stores.addAll(p.stores());
      }
    }));
    assertEquals(new TreeSet<>(Set.of(TopologyNames.INSTANCE_SERIES_STORE, TopologyNames.INSTANCE_SNAPSHOT_STORE,
        TopologyNames.SERVICE_WINDOWS_STORE, TopologyNames.STACK_DICTIONARY_STORE, TopologyNames.STACK_LAST_SEEN_STORE,
        TopologyNames.SUSPECT_LIFECYCLE_STORE, TopologyNames.SUSPECT_HISTORY_STORE)), stores);
    assertTrue(text.contains(TopologyNames.REPORTS_BY_SERVICE + "-repartition"), text);
    assertEquals(2, d.subtopologies().size(), "per-instance and per-service sub-topologies");
  }

  /**
   * The names deployed state and topics hang on, spelled out rather than read from {@link TopologyNames}
   * (a changed constant must fail here): per sub-topology (its number is in every task id and task
   * directory) the nodes, the stores (each store's changelog is {@code <applicationId>-<store>-changelog})
   * and the topics; the repartition topic is {@code <applicationId>-instance-reports-by-service-repartition}.
   * These are release 4a25fec's names: a release that changes one must say so in its notes
   * (docs/OPERATIONS.md "Upgrades") and then update this list.
   */
  @Test
  void shouldKeepTheNamesThatDeployedStateAndTopicsDependOn() {
    TopologyDescription d = LeakwatchTopology.topology(TopologyConfig.defaults()).describe();
    TreeMap<Integer, List<Set<String>>> actual = new TreeMap<>();
    d.subtopologies().forEach(s -> {
      Set<String> nodes = new TreeSet<>();
      Set<String> stores = new TreeSet<>();
      Set<String> topics = new TreeSet<>();
      s.nodes().forEach(n -> {
        nodes.add(n.name());
        if (n instanceof TopologyDescription.Processor p) {
          stores.addAll(p.stores());
        } else if (n instanceof TopologyDescription.Source src) {
          topics.addAll(src.topicSet());
        } else if (n instanceof TopologyDescription.Sink sink) {
          topics.add(sink.topic());
        }
      });
      actual.put(s.id(), List.of(nodes, stores, topics));
    });

    TreeMap<Integer, List<Set<String>>> expected = new TreeMap<>();
    expected.put(0, List.of(
        Set.of("profiles-source", "decode-envelope", "decode", "decode-ok", "decode-failed", "decode-ok-profile",
            "dead-letter-original-bytes", "dead-letter-sink", "audit-entry", "audit-sink", "instance-detect",
            "instance-reports-by-service-repartition-filter", "instance-reports-by-service-repartition-sink"),
        Set.of("instance-series", "instance-snapshot"),
        Set.of("leakwatch.profiles", "leakwatch.profiles.dlq", "leakwatch.profiles.processed",
            "instance-reports-by-service-repartition")));
    expected.put(1, List.of(
        Set.of("instance-reports-by-service-repartition-source", "service-windows-aggregate", "suspect-lifecycle",
            "suspects-sink", "suspect-history-record"),
        Set.of("service-windows", "stack-dictionary", "stack-last-seen", "suspect-lifecycle", "suspect-history"),
        Set.of("instance-reports-by-service-repartition", "leakwatch.leak-suspects")));
    expected.replaceAll((id, sets) -> sets.stream().<Set<String>>map(TreeSet::new).toList());
    assertEquals(expected, actual);
  }
}
