package dev.leakwatch.reliability.processor;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.testing.TestBroker;
import dev.leakwatch.topology.CorpusRecords;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import dev.leakwatch.topology.ProcessorYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Utils;

/**
 * What every processor campaign stands on: a real KRaft broker in this JVM, the recorded
 * scenarios G (heap leak, with a process restart), H (goroutine leak) and M (churn, no leak) plus
 * three garbage records as input, and per-application {@code processor.yaml}.
 *
 * <p>Each service's records go to one input partition of its own, in capture order, and the
 * partition count is chosen so that each service's reports also land on a repartition partition
 * of their own (the per-service tasks' stream time, which the lifecycle punctuator reads, then
 * depends on that service alone). So every per-service state sees the same records in the same
 * order in any run, and two runs of the same input, however they are interrupted, must end with
 * identical query answers: that is what the campaigns compare against an uninterrupted reference
 * run. Every application reads the same input topic and writes its own output topics.
 */
final class CampaignFixture implements AutoCloseable {

  static final int PARTITIONS = 6;
  static final List<String> SERVICES = List.of("session-store", "push-worker", "search-api");
  static final int GARBAGE = 3;
  /** The share of every service's records that {@link #splitTail} puts in the tail. */
  static final double TAIL_SHARE = 0.1;

  final Path dir;
  final KafkaClusterTestKit cluster;

  private CampaignFixture(Path dir, KafkaClusterTestKit cluster) {
    this.dir = dir;
    this.cluster = cluster;
  }

  /** A broker under {@code target/campaigns/<name>-*}: short group and transaction timeouts. */
  static CampaignFixture start(String name) throws Exception {
    requireOwnRepartitionPartitions();
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "campaigns")), name + "-");
    return new CampaignFixture(dir, TestBroker.start(dir.resolve("kafka"), Map.of(
        "group.min.session.timeout.ms", "1000",
        "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")));
  }

  /** The premise of the comparisons: no two services share a per-service task. */
  private static void requireOwnRepartitionPartitions() {
    Set<Integer> used = new HashSet<>();
    for (String s : SERVICES) {
      // the producer's default partitioner, which the repartition by service key uses
      int p = Utils.toPositive(Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      if (!used.add(p)) {
        throw new IllegalStateException("service " + s + " shares repartition partition " + p
            + " with another service at " + PARTITIONS + " partitions: runs would not be comparable");
      }
    }
  }

  String bootstrap() {
    return cluster.bootstrapServers();
  }

  /** The campaign input: G, H and M in capture order plus garbage, each service on its own partition. */
  static List<ProducerRecord<byte[], byte[]>> input() {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> r : CorpusRecords.withGarbage(CorpusRecords.inCaptureOrder(List.of("G", "H", "M")), GARBAGE)) {
      int partition = SERVICES.indexOf(service(r));
      out.add(new ProducerRecord<>(r.topic(), partition, r.timestamp(), r.key(), r.value()));
    }
    return out;
  }

  /** The input of a campaign in two parts: the tail is sent after the campaign's restarts. */
  record Split(List<ProducerRecord<byte[], byte[]>> head, List<ProducerRecord<byte[], byte[]>> tail) {}

  /**
   * The last {@link #TAIL_SHARE} of every service's records apart, so that a campaign can send them
   * only after its restarts and restored state has work of every service to carry on with. Each
   * service is on a partition of its own, so the reference, which reads them all, still sees every
   * service's records in the same order.
   */
  static Split splitTail(List<ProducerRecord<byte[], byte[]>> input) {
    Map<String, Integer> total = new HashMap<>();
    input.forEach(r -> total.merge(service(r), 1, Integer::sum));
    Map<String, Integer> seen = new HashMap<>();
    List<ProducerRecord<byte[], byte[]>> head = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> tail = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> r : input) {
      int n = total.get(service(r));
      boolean inTail = seen.merge(service(r), 1, Integer::sum) > n - Math.max(1, (int) (n * TAIL_SHARE));
      (inTail ? tail : head).add(r);
    }
    return new Split(head, tail);
  }

  private static String service(ProducerRecord<byte[], byte[]> r) {
    String key = new String(r.key(), StandardCharsets.UTF_8);
    return key.substring(0, key.indexOf('/'));
  }

  /**
   * The configuration of one instance of {@code app}: its own state directory and output topics
   * ({@code <app>.dlq}, {@code .suspects}, {@code .audit}); creates the topics it lacks.
   *
   * @param extraLines further top-level YAML lines, e.g. {@code standbyReplicas: 1}
   */
  String yaml(String app, String instance, String... extraLines) {
    List<String> lines = new ArrayList<>(List.of("  deadLetters: " + app + ".dlq", "  suspects: " + app + ".suspects",
        "  audit: " + app + ".audit"));
    lines.addAll(List.of(extraLines));
    String yaml = ProcessorYaml.failover(app, bootstrap(), dir.resolve("state-" + app + "-" + instance), PARTITIONS,
        lines.toArray(String[]::new));
    TopicBootstrap.ensureTopics(ProcessorConfig.parse(yaml));
    return yaml;
  }

  Path stateDir(String app, String instance) {
    return dir.resolve("state-" + app + "-" + instance);
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /**
   * Runs one processor of {@code config} until every record {@code produced} from {@code input} is
   * accounted for and its answers have caught up, then stops it cleanly.
   */
  static void runToTheEnd(ProcessorConfig config, ProcessorOutputs outputs, List<Position> produced,
      List<ProducerRecord<byte[], byte[]>> input) {
    try (ProcessorRuntime run = new ProcessorRuntime(config)) {
      run.start();
      CampaignAssertions.assertEveryInputAccountedOnce(outputs, produced, CampaignAssertions.garbage(input, produced));
      CampaignAssertions.awaitCaughtUp(run.httpPort(), input);
    }
  }

  /** Sends the records, in order, and returns where each landed. */
  List<Position> produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    try (PacedInput input = new PacedInput(bootstrap(), records)) {
      input.sendRest();
      return input.sent();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IOException("broker did not close cleanly", e);
    }
  }
}
