package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
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
}
