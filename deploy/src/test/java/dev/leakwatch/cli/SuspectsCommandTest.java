package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.demo.SampleSuspects;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./leakwatch suspects}: one line per committed event; aborted transactions are never
 * shown, and an unreadable record is reported and skipped.
 */
class SuspectsCommandTest {

  private static final String TOPIC = "suspects.test";

  @Test
  void shouldPrintCommittedEventsSkipUnreadableOnesAndStopAfterMax() throws Exception {
    try (TestBroker broker = TestBroker.start()) {
      Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
      try (Admin admin = Admin.create(client)) {
        admin.createTopics(Set.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty()))).all().get();
      }
      Serializer<LeakSuspect> serializer = LeakwatchSerdes.leakSuspect(client, false).serializer();
      LeakSuspect first = SampleSuspects.heap("session-store", SuspectStatus.OPEN).build();
      LeakSuspect aborted = SampleSuspects.heap("aborted-svc", SuspectStatus.OPEN).build();
      LeakSuspect last = SampleSuspects.heap("session-store", SuspectStatus.RESOLVED).build();
      try (KafkaProducer<String, byte[]> plain = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
        plain.send(new ProducerRecord<>(TOPIC, "session-store", serializer.serialize(TOPIC, first))).get();
        plain.send(new ProducerRecord<>(TOPIC, "junk", "not avro".getBytes(StandardCharsets.UTF_8))).get();
      }
      Map<String, Object> tx = Map.of("bootstrap.servers", broker.bootstrapServers(), "transactional.id", "suspects-test");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(tx, new StringSerializer(), new ByteArraySerializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "aborted-svc", serializer.serialize(TOPIC, aborted))).get();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "session-store", serializer.serialize(TOPIC, last))).get();
        producer.commitTransaction();
      }

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = LeakwatchCli.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute("suspects", "--bootstrap-servers", broker.bootstrapServers(), "--topic", TOPIC,
          "--from-beginning", "--max", "2");

      assertEquals(0, code, err.toString());
      List<String> lines = out.toString().lines().toList();
      assertEquals(2, lines.size(), out.toString());
      assertTrue(lines.get(0).contains(" OPEN ") && lines.get(0).contains(" session-store HEAP "), lines.get(0));
      assertTrue(lines.get(1).contains(" RESOLVED ") && lines.get(1).contains(" session-store HEAP "), lines.get(1));
      assertTrue(err.toString().contains("skipping unreadable record " + TOPIC + "-0@1"), err.toString());
    }
  }

  @Test
  void shouldExitWith2NamingTheServersWhenKafkaCannotBeReached() {
    String nowhere = TestConfigs.unreachableBootstrap();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = LeakwatchCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));

    int code = cl.execute("suspects", "--bootstrap-servers", nowhere, "--connect-timeout", "1s", "--max", "1");

    assertEquals(2, code, err.toString());
    assertEquals("suspects: cannot reach Kafka at " + nowhere + " within 1s", err.toString().trim());
    assertEquals("", out.toString());
  }
}
