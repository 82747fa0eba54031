package dev.leakwatch.agent;

import dev.leakwatch.agent.buffer.ProfileBuffer;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.discovery.FileDiscovery;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.Envelopes;
import dev.leakwatch.agent.publish.KafkaPublisher;
import dev.leakwatch.agent.publish.ProducerSettings;
import dev.leakwatch.agent.publish.TopicSetup;
import dev.leakwatch.agent.push.BearerAuth;
import dev.leakwatch.agent.push.PushEndpoint;
import dev.leakwatch.agent.scrape.ExecutorScheduler;
import dev.leakwatch.agent.scrape.HttpProfileFetcher;
import dev.leakwatch.agent.scrape.Pacing;
import dev.leakwatch.agent.scrape.ScrapeContext;
import dev.leakwatch.agent.scrape.ScrapeManager;
import dev.leakwatch.agent.scrape.ScrapeSink;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: scrapes its targets (static and discovered), accepts pushes when enabled,
 * buffers profiles and publishes them to Kafka, and serves its metrics. Start with {@link
 * #start(AgentConfig)}; {@link #close()} stops intake, lets scrapes in flight finish, gives
 * buffered profiles the rest of {@code agent.shutdownGrace} to reach Kafka, and counts any that
 * did not as dropped.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final Duration TOPIC_SETUP_TIMEOUT = Duration.ofSeconds(15);

  private final AgentConfig config;
  private final PrometheusMeterRegistry registry;
  private final AgentMetrics metrics;
  private final ProfileBuffer buffer;
  private final KafkaPublisher publisher;
  private final ExecutorScheduler scheduler;
  private final ScrapeManager scrapes;
  private final FileDiscovery discovery;
  private final AgentHttpServer http;
  private final int httpPort;

  private Agent(AgentConfig cfg, Clock clock) {
    this.config = cfg;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.metrics = new AgentMetrics(registry);
    this.buffer = new ProfileBuffer(cfg.buffer().maxRecords(), cfg.buffer().maxBytes());
    metrics.bindBuffer(buffer);
    this.publisher = startPublisher(cfg, buffer, metrics);
    this.scheduler = new ExecutorScheduler("leakwatch-scrape-scheduler");
    ScrapeSink sink =
        (target, kind, time, body) ->
            buffer.offerEvictingOldest(
                target.id().recordKey(),
                Envelopes.scraped(target, kind, time, body, cfg.agentId()));
    this.scrapes =
        new ScrapeManager(
            new ScrapeContext(
                new HttpProfileFetcher("leakwatch-agent/" + cfg.agentId()),
                sink,
                scheduler,
                new Pacing(cfg.scrape().jitter(), cfg.scrape().backoffMax()),
                clock,
                metrics,
                new Semaphore(cfg.scrape().maxConcurrent()),
                cfg.scrape().maxBodyBytes(),
                cfg.scrape().reprobe()));
    metrics.bindTargetCount(scrapes::size);
    this.discovery =
        new FileDiscovery(
            cfg.discovery(), new TargetParser(cfg.scrape()), cfg.targets(), scrapes::apply,
            scheduler, metrics);
    PushEndpoint push =
        cfg.push().enabled()
            ? new PushEndpoint(
                new BearerAuth(cfg.push().tokens()), cfg.push().maxBodyBytes(), buffer, metrics,
                cfg.agentId(), clock)
            : null;
    this.http = new AgentHttpServer(cfg.http(), registry, scrapes::status, push);
    discovery.start();
    this.httpPort = http.start();
    LOG.info(
        "agent {} running: {} targets, http://{}:{} (/metrics{}), publishing to {}",
        cfg.agentId(), scrapes.size(), cfg.http().host(), httpPort,
        push != null ? ", POST /ingest" : "", cfg.kafka().topic());
  }

  /** Starts an agent with the system clock. */
  public static Agent start(AgentConfig cfg) {
    return start(cfg, Clock.systemUTC());
  }

  /** Starts an agent; {@code clock} stamps capture times. */
  public static Agent start(AgentConfig cfg, Clock clock) {
    return new Agent(cfg, clock);
  }

  private static KafkaPublisher startPublisher(
      AgentConfig cfg, ProfileBuffer buffer, AgentMetrics metrics) {
    long largest = Math.max(cfg.scrape().maxBodyBytes(), cfg.push().maxBodyBytes());
    Map<String, Object> props =
        ProducerSettings.build(largest, "leakwatch-agent-" + cfg.agentId(), cfg.kafka().client());
    Runnable setup =
        () -> {
          if (cfg.kafka().createTopic()) {
            TopicSetup.ensure(
                props, cfg.kafka().topic(), cfg.kafka().partitions(),
                cfg.kafka().replicationFactor(), ProducerSettings.requiredMaxMessageBytes(largest),
                TOPIC_SETUP_TIMEOUT);
          }
        };
    Map<String, Object> serdeConfig = new HashMap<>(props);
    KafkaProducer<String, ProfileEnvelope> producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            LeakwatchSerdes.profileEnvelope(serdeConfig, false).serializer());
    long bufferMemory = Long.parseLong(props.get(ProducerConfig.BUFFER_MEMORY_CONFIG).toString());
    KafkaPublisher p =
        new KafkaPublisher(
            producer, cfg.kafka().topic(), buffer, metrics,
            Math.min(bufferMemory / 2, cfg.kafka().maxInFlightBytes()),
            setup);
    metrics.bindInFlight(p::inFlightBytes);
    p.start();
    return p;
  }

  /** The port the HTTP server listens on. */
  public int httpPort() {
    return httpPort;
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  public ProfileBuffer buffer() {
    return buffer;
  }

  /**
   * Stops in an order that loses nothing uncounted: the HTTP server (no more pushes), discovery,
   * then the scrapers, waiting for rounds in flight to hand over their profiles; then the buffer
   * gets what is left of {@code agent.shutdownGrace} to reach Kafka. Whatever was not published
   * by then, or arrives later, is logged and counted as dropped.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    http.close();
    discovery.close();
    scrapes.close(config.shutdownGrace());
    scheduler.close();
    publisher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    registry.close();
  }
}
