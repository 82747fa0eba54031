package dev.leakwatch.cli;

import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecodeException;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leakwatch kafka tail}: prints the profile envelopes on a topic, one line each, decoding
 * every profile, to check by hand what agents publish. Exit code 2 when the topic does not exist
 * (it is never created).
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = "Print the ProfileEnvelopes on a topic (one line each, profile decoded).")
public final class KafkaTailCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // both spellings: --bootstrap-servers like every other command, --bootstrap-server like Kafka's own tools
  @Option(names = {"--bootstrap-servers", "--bootstrap-server"}, defaultValue = "127.0.0.1:9092",
      paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--topic", defaultValue = "leakwatch.profiles", description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--from-beginning", description = "Start at the oldest record instead of the end.")
  boolean fromBeginning;

  @Option(names = "--max", defaultValue = "-1", description = "Stop after this many records (default: never).")
  long max;

  @Option(
      names = "--property",
      paramLabel = "KEY=VALUE",
      description = "Extra consumer/serde property (e.g. schema.registry.url=...). Repeatable.")
  Map<String, String> properties = new HashMap<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> cfg = new HashMap<>(properties);
    cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Looking must not create: a broker that auto-creates topics (Kafka's default, and ./leakwatch
    // kafka) would make a mistyped topic, or the profiles topic before any agent or processor made it,
    // with the broker's partition count and message size limit, which the processor then keeps.
    cfg.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    try (KafkaConsumer<String, ProfileEnvelope> consumer =
        new KafkaConsumer<>(
            cfg,
            new StringDeserializer(),
            LeakwatchSerdes.profileEnvelope(cfg, false).deserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      if (parts.isEmpty()) {
        spec.commandLine().getErr().println("leakwatch kafka tail: no topic " + topic + " on " + bootstrap);
        return 2;
      }
      consumer.assign(parts);
      if (fromBeginning) {
        consumer.seekToBeginning(parts);
      } else {
        consumer.seekToEnd(parts);
      }
      long seen = 0;
      while (max < 0 || seen < max) {
        for (ConsumerRecord<String, ProfileEnvelope> r : consumer.poll(Duration.ofMillis(500))) {
          out.println(describe(r));
          out.flush();
          if (++seen == max) {
            break;
          }
        }
      }
    }
    return 0;
  }

  private static String describe(ConsumerRecord<String, ProfileEnvelope> r) {
    ProfileEnvelope e = r.value();
    ByteBuffer b = e.getProfile().duplicate();
    byte[] body = new byte[b.remaining()];
    b.get(body);
    String decoded;
    try {
      Profile p = ProfileDecoder.decode(body);
      decoded = p.samples().size() + " samples, " + p.sampleTypes().size() + " sample types";
    } catch (ProfileDecodeException ex) {
      decoded = "undecodable: " + ex.getMessage();
    }
    return String.format(
        "p%d@%d %s %s %s %s %d bytes (%s) labels=%s",
        r.partition(), r.offset(), r.key(), e.getProfileType(), e.getCaptureTime(), e.getSource(),
        body.length, decoded, e.getLabels());
  }
}
