package dev.leakwatch.bench;

import java.time.Duration;

/**
 * The load generator of {@link EndToEndBench}: the fleet publishes round-robin (instance after
 * instance, each one capture per round), either as fast as the processor keeps up or paced at a
 * fixed rate; in the paced mode the leaking services publish one capture per second each, starting
 * one after another. Capture times are the wall clock at publish.
 */
final class Load {

  private static final Duration LEAK_INTERVAL = Duration.ofSeconds(1);
  /** Paced phases leave this long after the last leaking service starts, for its leak to be detected. */
  private static final Duration LEAK_DETECTION_ROOM = Duration.ofSeconds(40);

  private final PipelineRig rig;
  private final Fleet fleet;
  private final Fleet leakers;
  private final int maxBacklog;
  private long next;
  private long gzBytes;
  private int leaksRun;

  Load(PipelineRig rig, Fleet fleet, Fleet leakers, int maxBacklog) {
    this.rig = rig;
    this.fleet = fleet;
    this.leakers = leakers;
    this.maxBacklog = maxBacklog;
  }

  /** Compressed profile bytes published so far. */
  long gzBytes() {
    return gzBytes;
  }

  /** Records of the fleet published so far. */
  long published() {
    return next;
  }

  /**
   * Publishes for at least {@code d} and until the fleet has published {@code records} in all,
   * keeping at most {@code maxBacklog} records published but not processed.
   */
  void fullSpeed(Duration d, long records) {
    long end = System.nanoTime() + d.toNanos();
    for (long n = 0; System.nanoTime() < end || next < records; n++) {
      if (n % 256 == 0) {
        rig.check();
      }
      if (rig.publisher().sent() - rig.watcher().processed() < maxBacklog) {
        publishNext();
      } else {
        Pace.pause(Duration.ofMillis(1));
      }
    }
  }

  /**
   * Publishes at {@code perSecond} in all for {@code d}: the leaking services' captures, one per second
   * each (service {@code k} starts {@code k} spacings into the phase), and the fleet at the rest of the
   * rate. At most half of the rate goes to leaking services: fewer of them run when the rate is low.
   *
   * @return records published
   */
  long paced(double perSecond, Duration d) {
    long start = System.nanoTime();
    long end = start + d.toNanos();
    int captures = leakers.profiles().shortestSequence();
    double seconds = d.toNanos() / 1e9;
    int leaks = (int) Math.min(leakers.size(), Math.floor(0.5 * perSecond * seconds / captures));
    double fleetRate = perSecond - (double) leaks * captures / seconds;
    long spacing = leaks == 0 ? 0 : Math.max(0, d.minus(LEAK_DETECTION_ROOM).toNanos()) / leaks;
    int[] published = new int[leaks];
    long[] lastMs = new long[leaks];
    long sent = 0;
    for (long now = start; now < end; now = System.nanoTime()) {
      rig.check();
      long due = (long) ((now - start) * fleetRate / 1e9);
      for (; sent < due; sent++) {
        publishNext();
      }
      for (int k = 0; k < leaks; k++) {
        long dueAt = start + k * spacing + published[k] * LEAK_INTERVAL.toNanos();
        if (published[k] < captures && now >= dueAt) {
          lastMs[k] = publishLeak(k, published[k], lastMs[k]);
          published[k]++;
        }
      }
      Pace.pause(Duration.ofNanos(500_000));
    }
    leaksRun = leaks;
    for (int p : published) {
      sent += p;
    }
    return sent;
  }

  /** Leaking services that ran in the last paced phase. */
  int leaksRun() {
    return leaksRun;
  }

  /** Waits until every record published so far was processed, at most {@code max}. */
  void drainBacklog(Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (rig.watcher().processed() < rig.publisher().sent() && System.nanoTime() < end) {
      rig.check();
      Pace.pause(Duration.ofMillis(50));
    }
  }

  /** Waits until every counted record was processed, at most {@code max}. */
  void drain(Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (rig.audit().outstanding() > 0 && System.nanoTime() < end) {
      rig.check();
      Pace.pause(Duration.ofMillis(50));
    }
  }

  private void publishNext() {
    int n = fleet.size();
    int i = (int) (next % n);
    int capture = (int) (next / n);
    next++;
    byte[] value = fleet.envelope(i, capture, System.currentTimeMillis());
    gzBytes += fleet.profile(i, capture).length;
    rig.publisher().send(fleet.key(i), value, System.nanoTime());
  }

  /** Publishes leaking service {@code k}'s capture; returns its capture time (after {@code lastMs}). */
  private long publishLeak(int k, int capture, long lastMs) {
    long ms = Math.max(System.currentTimeMillis(), lastMs + 1);
    byte[] value = leakers.envelope(k, capture, ms);
    gzBytes += leakers.profile(k, capture).length;
    long now = System.nanoTime();
    rig.suspects().published(Watcher.suspectKey(leakers.service(k), ms), now, true);
    rig.publisher().send(leakers.key(k), value, now);
    return ms;
  }
}
