package dev.leakwatch.cli;

/**
 * JVM settings the product needs whatever the machine, applied by {@code main} before anything else
 * runs.
 *
 * <p>The common fork-join pool's parallelism defaults to one less than the CPUs, so on one or two
 * CPUs (a small VM, a container's CPU limit) it is 1 — and then {@code CompletableFuture}'s default
 * executor, on which the JDK's HTTP client completes every {@code sendAsync}, starts a new thread
 * for every task instead of reusing a pool: the agent started one thread per profile it fetched
 * (about 130 a second with 1,000 targets), and a processor one per request to a peer. A
 * parallelism of at least 2 makes that executor the common pool. An explicit
 * {@value #COMMON_POOL_PARALLELISM} (e.g. in {@code LEAKWATCH_JAVA_OPTS}) is left as given.
 */
final class JvmDefaults {

  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private JvmDefaults() {}

  /**
   * Sets the common pool's parallelism to at least 2 unless it was set explicitly. Takes effect only
   * when called before the common pool is first used (the first thing {@code main} does).
   */
  static void apply() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      int cpus = Runtime.getRuntime().availableProcessors();
      System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, cpus - 1)));
    }
  }
}
