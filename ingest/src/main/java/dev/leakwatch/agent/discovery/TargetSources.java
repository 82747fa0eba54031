package dev.leakwatch.agent.discovery;

import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.KubernetesSettings;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.scrape.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every source of an agent's scrape targets, wired to one {@link TargetUnion}: the configuration's
 * static targets and target files ({@link FileDiscovery}, source {@code config}, which wins over
 * pods on a shared identity) and, when configured, Kubernetes pods ({@link KubernetesDiscovery}).
 */
public final class TargetSources implements AutoCloseable {
  private final TargetUnion union;
  private final FileDiscovery files;
  private final KubernetesDiscovery kubernetes;

  /**
   * @param apply receives this agent's share of the union ({@code ScrapeManager.apply})
   * @param discoveryThread discovery's own scheduler (file checks, coalesced applies)
   * @param watchThreads makes one scheduler, on a thread of its own, per pod watch
   */
  public TargetSources(
      AgentConfig cfg,
      Consumer<List<Target>> apply,
      Scheduler discoveryThread,
      Function<String, Scheduler> watchThreads,
      AgentMetrics metrics) {
    KubernetesSettings k8s = cfg.discovery().kubernetes();
    this.union =
        new TargetUnion(
            cfg.scrape().shard(), apply, discoveryThread,
            k8s == null ? Duration.ofSeconds(1) : k8s.applyDelay());
    TargetUnion.Source configured = union.source("config"); // first: wins on duplicates
    TargetParser parser = new TargetParser(cfg.scrape());
    this.files =
        new FileDiscovery(
            cfg.discovery(), parser, cfg.targets(),
            all -> {
              configured.set(all);
              union.applyNow();
            },
            discoveryThread, metrics);
    this.kubernetes =
        k8s == null
            ? null
            : new KubernetesDiscovery(k8s, parser, union, watchThreads, metrics.registry());
  }

  /**
   * Applies the static targets and files at once (see {@link FileDiscovery#start()}) and starts
   * watching pods without waiting for the API server.
   */
  public void start() {
    files.start();
    if (kubernetes != null) {
      kubernetes.start();
    }
  }

  /** Where a running target came from: {@code config} or {@code kubernetes} (null if unknown). */
  public String origin(TargetId id) {
    return union.origin(id);
  }

  /** Stops the pod watches and their threads, then the file checks; applies nothing after. */
  @Override
  public void close() {
    if (kubernetes != null) {
      kubernetes.close();
    }
    union.close();
    files.close();
  }
}
