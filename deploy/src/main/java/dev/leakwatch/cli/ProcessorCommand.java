package dev.leakwatch.cli;

import dev.leakwatch.processor.ConfigError;
import dev.leakwatch.processor.ProcessorCheck;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.schemas.settings.KafkaClientChecks;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./leakwatch processor --config processor.yaml}: runs one Kafka Streams processor
 * instance until Ctrl-C (or SIGTERM). Start more with the same {@code applicationId} to share the
 * work. Exit codes: the JVM's 130 / 143 after Ctrl-C / SIGTERM (once the processor has committed and
 * left the group), 1 when a stream thread failed, 2 for a bad configuration
 * (or an HTTP address that cannot be bound, a state directory that cannot be created), 1 with one
 * line when Streams cannot start (a store of the state directory that does not open). With
 * {@code --check}: 0 and a summary when the configuration would start ({@link ProcessorCheck}), else 2.
 */
@Command(name = "processor", mixinStandardHelpOptions = true,
    description = "Run the stream processor (one Kafka Streams instance) until interrupted.")
public final class ProcessorCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "processor.yaml (see deploy/processor.yaml and docs/PROCESSOR.md)")
  Path config;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "overrides bootstrapServers from the file")
  String bootstrapServers;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "overrides stateDir from the file")
  Path stateDir;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "overrides http.port from the file (query API; 0 picks a free port)")
  Integer httpPort;

  @Option(names = "--check",
      description = "Check the configuration and exit without starting: 0 and a summary of what would run, 2 and"
          + " the reason the start would give. Contacts nothing (Kafka) and binds no port; the summary's rules"
          + " digest is what running processors show as leakwatch_detection_rules_info.")
  boolean check;

  @Override
  public Integer call() throws InterruptedException {
    // a check reports what Kafka refuses as one line of its own: the client's log of it (an ERROR
    // with a stack trace for a missing keystore) would only repeat it
    ProcessorLogging.kafkaAt(check ? "off" : "warn");
    Optional<String> unreadable = ConfigFiles.unreadable(config);
    if (unreadable.isPresent()) {
      System.err.println("processor: " + unreadable.get());
      return 2;
    }
    ProcessorConfig cfg;
    List<String> warnings = new ArrayList<>(); // --check prints them; a start logs them
    try {
      cfg = check ? ProcessorConfig.load(config, warnings::add) : ProcessorConfig.load(config);
    } catch (ConfigError e) {
      System.err.println("processor: bad configuration " + config + ": " + e.getMessage());
      return 2;
    }
    if (bootstrapServers != null) {
      cfg.streams().put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
    if (stateDir != null) {
      cfg.streams().put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().normalize().toString());
    }
    if (httpPort != null) {
      if (httpPort < 0 || httpPort > 65535) {
        System.err.println("processor: --http-port " + httpPort + " is outside [0, 65535]");
        return 2;
      }
      cfg = cfg.withHttp(cfg.http().withPort(httpPort));
    }
    if (check) {
      return check(cfg, warnings);
    }
    ProcessorRuntime runtime = null;
    try {
      // what this host refuses (the port, the state directory) first, not after waiting for Kafka
      runtime = new ProcessorRuntime(cfg);
      TopicBootstrap.ensureTopics(cfg);
    } catch (IllegalStateException | KafkaException | UncheckedIOException e) {
      if (runtime != null) {
        runtime.close(); // never started: frees the port and the state directory's lock
      }
      // ISE: the topics cannot be made or are missing (cluster unreachable, too few brokers for the
      // replication factor, topics.create false), or the HTTP address cannot be bound; UIOE: the state
      // directory cannot be created; Kafka refusing a setting is said with the causes, since a client
      // wraps the telling one ("Failed to create new KafkaAdminClient: ...: Failed to load SSL keystore ...")
      System.err.println("processor: " + (e instanceof KafkaException ? KafkaClientChecks.messages(e) : e.getMessage()));
      return 2;
    }
    Thread hook = new Thread(runtime::close, "leakwatch-processor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      runtime.start();
    } catch (RuntimeException e) {
      // start() has closed what it started (a store of the state directory that does not open): the
      // causes on one line, as the checks above say theirs, not picocli's stack trace
      Runtime.getRuntime().removeShutdownHook(hook);
      System.err.println("processor: cannot start: " + KafkaClientChecks.messages(e));
      return 1;
    }
    System.out.println("processor: application " + cfg.streams().get(StreamsConfig.APPLICATION_ID_CONFIG)
        + " reading " + cfg.topology().profilesTopic() + " from "
        + cfg.streams().get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) + ", state in "
        + cfg.streams().get(StreamsConfig.STATE_DIR_CONFIG) + ", query API on http://"
        + runtime.advertisedServer() + " (Ctrl-C stops)");
    Throwable failure = runtime.awaitTermination();
    return failure == null ? 0 : 1;
  }

  private int check(ProcessorConfig cfg, List<String> warnings) {
    List<String> summary;
    try {
      summary = ProcessorCheck.summary(cfg);
    } catch (KafkaException e) {
      System.err.println("processor: " + KafkaClientChecks.messages(e)); // as the start says it
      return 2;
    }
    System.out.println("processor: " + config + " is valid");
    summary.forEach(line -> System.out.println("  " + line));
    warnings.forEach(w -> System.out.println("  warning: " + w));
    return 0;
  }
}
