package dev.leakwatch.reliability.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.Fixtures;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.PprofTarget;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.agent.testing.TopicReader;
import dev.leakwatch.local.LocalKafka;
import dev.leakwatch.local.LocalKafkaSettings;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker (a child JVM, {@link LocalKafka}) is stopped and restarted on the same address while
 * the agent scrapes a Go process and a client pushes profiles, with a buffer far too small for
 * the outage. Every profile the agent took (scraped, or pushed and answered 202) is in Kafka
 * exactly once unless the buffer counted it as dropped: the missing ones are exactly the dropped
 * ones. Pushes that found the buffer full were refused with 503, never silently dropped.
 *
 * <p>Complements deploy's {@code AgentSurvivesBrokerRestartTest} (same harness: child-JVM broker,
 * Go target), where the buffer is big enough that nothing may be dropped at all.
 */
@Tag("campaign")
class BrokerRestartCampaignTest {

  private static final String TOPIC = "leakwatch.profiles";
  private static final String TOKEN = "restart-token";
  private static final int BUFFER_RECORDS = 8;

  @TempDir Path work;

  @Test
  void shouldLoseNothingButWhatTheBufferReportsDroppedAcrossBrokerRestart() throws Exception {
    LocalKafkaSettings s = new LocalKafkaSettings(work.resolve("kafka"), "127.0.0.1", TestConfigs.freePort(),
        TestConfigs.freePort(), Duration.ofSeconds(90), Map.of());
    LocalKafka kafka = LocalKafka.start(s);
    Set<Long> pushedAccepted = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    List<String> unexpected = new CopyOnWriteArrayList<>();
    Agent agent;
    PprofTarget go = PprofTarget.start("heap-leak", work);
    try {
      agent = Agent.start(TestConfigs.parse("agent:\n  id: restart-campaign\n  shutdownGrace: 60s\n"
          + "buffer:\n  maxRecords: " + BUFFER_RECORDS + "\n"
          + "push:\n  tokens: [" + TOKEN + "]\n"
          + "kafka:\n  partitions: 1\n  replicationFactor: 1\n  maxInFlight: 4KiB\n"
          + "  client:\n    bootstrap.servers: " + s.bootstrapServers() + "\n    reconnect.backoff.max.ms: 500\n"
          + "targets:\n  - service: checkout\n    url: " + go.url() + "\n"
          + "    interval: 250ms\n    timeout: 250ms\n    profiles: [heap, goroutine]\n", work));
      ScheduledExecutorService pusher = pusher(agent.httpPort(), pushedAccepted, refused, unexpected);
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.metrics().total("leakwatch.agent.published") >= 4);
        kafka.close();
        // the outage lasts until the small buffer has overflowed and pushes have been turned away
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.buffer().dropped() >= 5 && refused.get() >= 3);
        kafka = LocalKafka.start(s);
        await().atMost(Duration.ofSeconds(90)).until(() -> agent.buffer().size() == 0
            && agent.metrics().total("leakwatch.agent.published") > 4);

        // No quiescing: the agent stops while the target is still scraped every 250 ms, so a round
        // may be in flight. Shutdown waits for it before the final drain, and whatever is not
        // published by then is counted as dropped: the count below must hold all the same.
        pusher.shutdown();
        assertTrue(pusher.awaitTermination(30, TimeUnit.SECONDS), "pusher stopped");
      } finally {
        pusher.shutdownNow();
        agent.close();
      }
    } finally {
      if (go != null) {
        go.close();
      }
    }

    try (LocalKafka broker = kafka) {
      double scraped = agent.metrics().registry().find("leakwatch.agent.scrapes").tag("outcome", "ok").counters()
          .stream().mapToDouble(c -> c.count()).sum();
      long dropped = agent.buffer().dropped();
      double published = agent.metrics().total("leakwatch.agent.published");
      List<ConsumerRecord<String, ProfileEnvelope>> records = TopicReader.readAll(broker.bootstrapServers(), TOPIC);

      Set<String> distinct = new HashSet<>();
      Set<Long> pushedDelivered = new HashSet<>();
      long scrapedDelivered = 0;
      for (ConsumerRecord<String, ProfileEnvelope> r : records) {
        ProfileEnvelope e = r.value();
        distinct.add(e.getSource() + " " + e.getProfileType() + "@" + e.getCaptureTime().toEpochMilli()
            + e.getLabels());
        if (e.getSource() == IngestSource.PUSH) {
          pushedDelivered.add(Long.parseLong(e.getLabels().get("seq")));
        } else {
          scrapedDelivered++;
        }
      }
      System.out.printf("scraped %.0f, pushes accepted %d, refused %d, dropped %d, published %.0f, in topic %d,"
          + " left in buffer after close %d%n",
          scraped, pushedAccepted.size(), refused.get(), dropped, published, records.size(), agent.buffer().size());
      assertEquals(List.of(), unexpected, "pushes are accepted (202) or refused for a full buffer (503)");
      assertEquals(records.size(), distinct.size(), "no profile delivered twice");
      assertEquals(published, records.size(), "the topic holds what the agent counted as published");
      assertTrue(pushedAccepted.containsAll(pushedDelivered), "only accepted pushes were delivered");
      long missing = (long) scraped - scrapedDelivered + pushedAccepted.size() - pushedDelivered.size();
      assertEquals(dropped, missing, "profiles missing from Kafka = profiles the buffer reported dropped");
      assertEquals(0.0, agent.metrics().total("leakwatch.agent.publish.failures"));
      assertEquals(0, agent.buffer().size(), "nothing left behind at shutdown");
      assertTrue(dropped >= 5 && refused.get() >= 3, "the outage overflowed the buffer");
    }
  }

  /** Pushes a recorded heap profile every 100 ms, numbered by a {@code seq} label, until closed. */
  private static ScheduledExecutorService pusher(int port, Set<Long> accepted, AtomicInteger refused,
      List<String> unexpected) {
    byte[] heap = Fixtures.profile(ProfileKind.HEAP);
    Http http = new Http(port);
    AtomicLong seq = new AtomicLong();
    ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor();
    pusher.scheduleWithFixedDelay(() -> {
      long n = seq.getAndIncrement();
      int status = http.send(http.request("/ingest?service=cart&instance=cart-0&type=heap&label.seq=" + n)
          .header("Authorization", "Bearer " + TOKEN).POST(BodyPublishers.ofByteArray(heap))).statusCode();
      if (status == 202) {
        accepted.add(n);
      } else if (status == 503) {
        refused.incrementAndGet();
      } else {
        unexpected.add("push " + n + " answered " + status);
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    return pusher;
  }
}
