package dev.leakwatch.agent;

import dev.leakwatch.agent.buffer.ProfileBuffer;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.discovery.TargetSources;
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
import dev.leakwatch.agent.scrape.TlsReloader;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigDef;
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
  private final ExecutorScheduler tlsScheduler;
  private final TlsReloader tlsReloader;
  private final ExecutorScheduler discoveryScheduler;
  private final TargetSources sources;
  private final AgentHttpServer http;
  private final int httpPort;

  private Agent(AgentConfig cfg, Clock clock) {
    AgentConfigLoader.validate(cfg);
    this.config = cfg;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.metrics = new AgentMetrics(registry, cfg.http().perTargetMetrics());
    this.buffer = new ProfileBuffer(cfg.buffer().maxRecords(), cfg.buffer().maxBytes());
    metrics.bindBuffer(buffer);
    // what has started, latest first: a failure further on stops it again before propagating
    Deque<AutoCloseable> started = new ArrayDeque<>();
    started.push(registry::close);
    try {
      this.publisher = startPublisher(cfg, buffer, metrics);
      started.push(publisher);
      this.scheduler = new ExecutorScheduler("leakwatch-scrape-scheduler");
      started.push(scheduler);
      String userAgent = "leakwatch-agent/" + cfg.agentId();
      HttpProfileFetcher fetcher;
      if (cfg.scrape().tls().hasFiles()) {
        // a thread of its own: reading the files must not delay any scrape round
        this.tlsScheduler = new ExecutorScheduler("leakwatch-tls-reload");
        started.push(tlsScheduler);
        this.tlsReloader =
            new TlsReloader(cfg.scrape().tls(), HttpProfileFetcher::newClient, tlsScheduler, metrics);
        started.push(tlsReloader);
        tlsReloader.start();
        fetcher = new HttpProfileFetcher(userAgent, tlsReloader);
      } else {
        this.tlsScheduler = null;
        this.tlsReloader = null;
        fetcher = new HttpProfileFetcher(userAgent);
      }
      ScrapeSink sink =
          (target, kind, time, body) ->
              buffer.offerEvictingOldest(
                  target.id().recordKey(),
                  Envelopes.scraped(target, kind, time, body, cfg.agentId()));
      this.scrapes =
          new ScrapeManager(
              new ScrapeContext(
                  fetcher,
                  sink,
                  scheduler,
                  new Pacing(cfg.scrape().jitter(), cfg.scrape().backoffMax()),
                  clock,
                  metrics,
                  new Semaphore(cfg.scrape().maxConcurrent()),
                  cfg.scrape().maxBodyBytes(),
                  cfg.scrape().reprobe()));
      started.push(scrapes);
      metrics.bindTargetCount(scrapes::size);
      // a thread of its own: reading and parsing the files must not delay any scrape round
      this.discoveryScheduler = new ExecutorScheduler("leakwatch-discovery");
      started.push(discoveryScheduler);
      this.sources =
          new TargetSources(
              cfg, scrapes::apply, discoveryScheduler, ExecutorScheduler::new, metrics);
      started.push(sources);
      PushEndpoint push =
          cfg.push().enabled()
              ? new PushEndpoint(
                  new BearerAuth(cfg.push().tokens()), cfg.push().maxBodyBytes(), buffer, metrics,
                  cfg.agentId(), clock)
              : null;
      this.http = new AgentHttpServer(cfg.http(), registry, scrapes::status, sources::origin, push);
      sources.start(); // pods: returns at once, an unreachable API server is retried, not awaited
      started.push(http);
      this.httpPort = http.start();
    } catch (RuntimeException e) {
      stopAll(started, e);
      throw e;
    }
    LOG.info(
        "agent {} running: {} targets{}, http://{}:{} (/metrics{}), publishing to {}",
        cfg.agentId(), scrapes.size(),
        cfg.scrape().shard().count() == 1 ? "" : " (shard " + cfg.scrape().shard() + " of the listed ones)",
        cfg.http().host(), httpPort,
        cfg.push().enabled() ? ", POST /ingest" : "", cfg.kafka().topic());
  }

  /** Stops what a failed start had started, latest first; their own failures join {@code cause}. */
  private static void stopAll(Deque<AutoCloseable> started, RuntimeException cause) {
    for (AutoCloseable c : started) {
      try {
        c.close();
      } catch (Exception e) {
        cause.addSuppressed(e);
      }
    }
  }

  /** Starts an agent with the system clock. */
  public static Agent start(AgentConfig cfg) {
    return start(cfg, Clock.systemUTC());
  }

  /**
   * Starts an agent; {@code clock} stamps capture times.
   *
   * @throws ConfigException if the configuration breaks a rule of {@link
   *     AgentConfigLoader#validate}, a discovery file is malformed, or the Kafka client rejects a
   *     {@code kafka.client} setting; whatever had started by then is stopped again
   */
  public static Agent start(AgentConfig cfg, Clock clock) {
    return new Agent(cfg, clock);
  }

  private static KafkaPublisher startPublisher(
      AgentConfig cfg, ProfileBuffer buffer, AgentMetrics metrics) {
    long largest = ProducerSettings.largestProfile(cfg);
    Map<String, Object> props = ProducerSettings.of(cfg);
    // asked again until the topic exists: the agent may well start before Kafka does
    BooleanSupplier setup =
        TopicSetup.gate(
            props,
            new TopicSetup.Plan(
                cfg.kafka().topic(), cfg.kafka().createTopic(), cfg.kafka().partitions(),
                cfg.kafka().replicationFactor(), ProducerSettings.requiredMaxMessageBytes(largest),
                TOPIC_SETUP_TIMEOUT));
    Map<String, Object> serdeConfig = new HashMap<>(props);
    KafkaProducer<String, ProfileEnvelope> producer;
    long bufferMemory;
    try {
      // parsed as the producer parses it (a padded number is fine there, not for Long.parseLong)
      bufferMemory =
          (Long)
              ConfigDef.parseType(
                  ProducerConfig.BUFFER_MEMORY_CONFIG,
                  props.get(ProducerConfig.BUFFER_MEMORY_CONFIG),
                  ConfigDef.Type.LONG);
      producer =
          new KafkaProducer<>(
              props,
              new StringSerializer(),
              LeakwatchSerdes.profileEnvelope(serdeConfig, false).serializer());
    } catch (KafkaException e) {
      // the client's own checks of kafka.client (a bad value, an unresolvable bootstrap server,
      // an unreadable keystore): a configuration error like any other, not a crash
      throw ProducerSettings.refused(e);
    }
    KafkaPublisher p =
        new KafkaPublisher(
            producer, cfg.kafka().topic(), buffer, metrics,
            Math.min(bufferMemory / 2, cfg.kafka().maxInFlightBytes()),
            setup);
    metrics.bindInFlight(p::inFlightBytes);
    metrics.bindTopicSetup(p, KafkaPublisher::topicReady, KafkaPublisher::topicChecks);
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
   * Stops in an order that loses nothing uncounted: the HTTP server (no more pushes), the pod
   * watches and their threads, discovery and its thread (a check still reading applies nothing),
   * the checks of the TLS files, then the scrapers, waiting for rounds in flight to hand over their
   * profiles; then the buffer gets what is left of {@code
   * agent.shutdownGrace} to reach Kafka. Whatever was not published by then, or arrives later, is
   * logged and counted as dropped.
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
    http.close();
    sources.close();
    discoveryScheduler.close();
    if (tlsReloader != null) {
      tlsReloader.close();
      tlsScheduler.close();
    }
    scrapes.close(config.shutdownGrace());
    scheduler.close();
    publisher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    registry.close();
  }
}
