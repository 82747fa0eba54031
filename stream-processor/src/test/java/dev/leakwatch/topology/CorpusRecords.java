package dev.leakwatch.topology;

import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Input records made from the recorded corpus, as agents would have published them. */
public final class CorpusRecords {

  private CorpusRecords() {}

  /**
   * Every capture of the scenarios (ids such as {@code G}), merged in capture-time order, for the
   * default profiles topic: key {@code service/instance}, record timestamp = capture time.
   */
  public static List<ProducerRecord<byte[], byte[]>> inCaptureOrder(List<String> scenarioIds) {
    var serializer = LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();
    List<Object[]> captures = new ArrayList<>();
    for (String id : scenarioIds) {
      CorpusScenario s = Fixtures.scenario(id);
      s.captures().forEach(c -> captures.add(new Object[] {s.service(), c}));
    }
    captures.sort(Comparator.comparingLong(o -> ((CorpusScenario.Capture) o[1]).captureMs()));
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (Object[] o : captures) {
      String service = (String) o[0];
      CorpusScenario.Capture c = (CorpusScenario.Capture) o[1];
      byte[] key = DecodedProfile.instanceKey(service, c.instance()).getBytes(StandardCharsets.UTF_8);
      byte[] value = serializer.serialize(TopologyNames.PROFILES_TOPIC, Fixtures.envelope(service, c, c.captureMs()));
      out.add(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, null, c.captureMs(), key, value));
    }
    return out;
  }

  /**
   * {@code records} with {@code count} garbage values inserted at evenly spaced places (key and
   * timestamp of their neighbour): each must end up dead-lettered.
   */
  public static List<ProducerRecord<byte[], byte[]>> withGarbage(List<ProducerRecord<byte[], byte[]>> records, int count) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records);
    for (int i = 1; i <= count; i++) {
      int at = i * out.size() / (count + 1);
      ProducerRecord<byte[], byte[]> next = out.get(at);
      out.add(at, new ProducerRecord<>(next.topic(), next.partition(), next.timestamp(), next.key(),
          ("garbage " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }
}
