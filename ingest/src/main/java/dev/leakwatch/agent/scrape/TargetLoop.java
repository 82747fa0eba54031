package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.metrics.TargetMeters;
import dev.leakwatch.agent.model.ProfileCheck;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scrapes one target round after round. A round fetches the target's profiles one after the
 * other (gentle on the target; each gets its own capture time), checks each body, and hands the
 * good ones to the {@link ScrapeSink}. Rounds never overlap: the next is scheduled when one ends.
 *
 * <p>A round ends early when the target does not answer at all (no connection, or no response
 * headers within the timeout): its remaining profiles are not asked for, so a hung target holds
 * its scrape permit for one timeout rather than one per profile.
 *
 * <p>A round in which every attempted profile failed counts as a failed round and the target
 * backs off exponentially (see {@link Pacing}); the failure is counted, and logged with the wait
 * when it is the first in a row or its reasons changed (a repeat goes to {@link FailedRounds}).
 * A profile failing while others succeed is logged when it starts and stops failing ({@link
 * FailureLog}). An optional profile the target answers with 404 is not asked for again until the
 * re-probe time ({@link NotServedProfiles}).
 */
public final class TargetLoop {
  private static final Duration MAX_DEFERRAL = Duration.ofSeconds(1);

  private final Target target;
  private final ScrapeContext ctx;
  private final TargetMeters meters;
  private final NotServedProfiles notServed = new NotServedProfiles();
  private final FailureLog log;
  private int consecutiveFailures;
  private Scheduler.Cancellable next;
  private boolean closed;
  /** Shutting down: the round in flight asks for no further profile. */
  private volatile boolean stopping;
  /** The latest round started; complete when it has finished (or before any round). */
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

  TargetLoop(Target target, ScrapeContext ctx, TargetMeters meters) {
    this.target = target;
    this.ctx = ctx;
    this.meters = meters;
    this.log = new FailureLog(target, ctx);
  }

  public Target target() {
    return target;
  }

  /**
   * Closes the loop and unregisters its meters, when its target is removed or replaced: a round
   * still in flight then records nothing, and a replacement's gauge is not the old one again.
   */
  void retire() {
    close();
    meters.remove();
  }

  /** Failed rounds in a row (0 when the last round succeeded). */
  public synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** Schedules the first round at a random point of the first interval (nothing once closed). */
  synchronized void start() {
    if (!closed) {
      scheduleIn(ctx.pacing().firstDelay(target.interval()));
    }
  }

  /**
   * Starts this loop, which replaces the closed {@code previous} loop of the same target, once
   * the round {@code previous} has in flight ends, so that rounds of one target never overlap;
   * returns at once. Until then {@link #awaitRound} waits for that round.
   */
  void startAfter(TargetLoop previous) {
    CompletableFuture<Void> before;
    synchronized (previous) {
      // previous is closed, so this is its last round
      before = previous.inFlight;
    }
    synchronized (this) {
      inFlight = before;
    }
    // runs here if the round has ended, else on the thread that ends it
    before.whenComplete((ignored, error) -> start());
  }

  /** True when no round of this loop is in flight (nor the predecessor's it waits for). */
  synchronized boolean roundEnded() {
    return inFlight.isDone();
  }

  /**
   * Runs {@code action} once no round of this closed loop is in flight (nor the predecessor's it
   * waits for): at once on the calling thread if none is, else on the thread that ends the round.
   * A closed loop starts no further round, so this is its last.
   */
  void afterLastRound(Runnable action) {
    CompletableFuture<Void> last;
    synchronized (this) {
      last = inFlight;
    }
    last.whenComplete((ignored, error) -> action.run());
  }

  /** Runs a round now (used by {@link #start()}'s schedule and by tests). */
  void runRound() {
    CompletableFuture<Void> round = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      inFlight = round;
    }
    Semaphore permits = ctx.concurrency();
    if (!permits.tryAcquire()) {
      ctx.metrics().scrapeDeferred();
      synchronized (this) {
        if (!closed) {
          scheduleIn(ctx.pacing().withJitter(deferral()));
        }
      }
      round.complete(null);
      return;
    }
    // the stages run one after another, each after the previous completed (happens-before)
    Map<ProfileKind, ScrapeFailure> failures = new LinkedHashMap<>();
    List<ProfileKind> attempted = new ArrayList<>();
    List<ProfileKind> skipped = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (ProfileKind kind : due()) {
      chain =
          chain.thenCompose(
              ignored -> {
                if (stopping
                    || failures.values().stream().anyMatch(ScrapeFailure::unresponsive)) {
                  // a target that did not answer would only hold the permit for another timeout;
                  // at shutdown the grace is for delivering what was scraped, not for more scrapes
                  skipped.add(kind);
                  return CompletableFuture.completedFuture(null);
                }
                return scrapeOne(kind)
                    .handle(
                        (ok, error) -> {
                          attempted.add(kind);
                          if (error != null) {
                            failures.put(kind, ScrapeFailure.of(error));
                          }
                          return null;
                        });
              });
    }
    chain.whenComplete(
        (ignored, error) -> {
          permits.release();
          try {
            finishRound(attempted, failures, skipped);
          } finally {
            round.complete(null);
          }
        });
  }

  /**
   * Stops the loop; a round in flight completes (its profiles still reach the sink) but schedules
   * nothing. {@link #awaitRound} waits for it.
   */
  synchronized void close() {
    closed = true;
    if (next != null) {
      next.cancel();
    }
  }

  /**
   * Closes the loop at shutdown: like {@link #close()}, and the round in flight asks for no
   * further profile (the request already sent is still waited for and its profile handed over).
   */
  void stop() {
    stopping = true;
    close();
  }

  /**
   * Waits until the round in flight, if any, has handed every profile to the sink and finished.
   *
   * @param deadlineNanos {@link System#nanoTime()} after which to stop waiting
   * @return true if no round is in flight any more
   */
  boolean awaitRound(long deadlineNanos) {
    CompletableFuture<Void> round;
    synchronized (this) {
      round = inFlight;
    }
    try {
      round.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  private synchronized List<ProfileKind> due() {
    return notServed.due(target, ctx.clock().instant());
  }

  private CompletableFuture<Void> scrapeOne(ProfileKind kind) {
    Instant captureTime = ctx.clock().instant();
    CompletableFuture<byte[]> fetched;
    try {
      fetched = ctx.fetcher().fetch(target.profileUri(kind), target.timeout(), ctx.maxBodyBytes());
    } catch (RuntimeException e) {
      // a fetch that throws instead of failing its future (the HTTP client refusing to build the
      // request, as it did for an agent.id outside Latin-1 before the loader refused those) fails
      // this profile like any other error, counted and logged; thrown out of the round's chain it
      // would skip the round's accounting: every round passing as neither scraped nor failed
      fetched = CompletableFuture.failedFuture(e);
    }
    return fetched
        .thenAccept(
            body -> {
              var rejection = ProfileCheck.rejection(body);
              if (rejection.isPresent()) {
                throw new ScrapeFailure(
                    ScrapeFailure.Reason.NOT_PPROF, "not a pprof profile: " + rejection.get());
              }
              ctx.sink().accept(target, kind, captureTime, body);
              meters.scrapeOk(kind, body.length);
            });
  }

  private synchronized void finishRound(
      List<ProfileKind> attempted, Map<ProfileKind, ScrapeFailure> failures,
      List<ProfileKind> skipped) {
    // an optional profile the target does not serve is no failure, in the counts and in the log
    Map<ProfileKind, ScrapeFailure> counted = new LinkedHashMap<>();
    for (Map.Entry<ProfileKind, ScrapeFailure> e : failures.entrySet()) {
      ProfileKind kind = e.getKey();
      ScrapeFailure f = e.getValue();
      if (f.reason() == ScrapeFailure.Reason.NOT_SERVED && kind.optional()) {
        notServed.notServed(target, kind, ctx.clock().instant(), ctx.reprobe());
      } else {
        counted.put(kind, f);
        meters.scrapeFailed(kind, f.reason().tag());
      }
    }
    attempted.stream().filter(k -> !failures.containsKey(k)).forEach(notServed::served);
    int served = attempted.size() - (failures.size() - counted.size());
    boolean roundFailed = served > 0 && counted.size() == served;
    int ended = roundFailed ? 0 : consecutiveFailures;
    consecutiveFailures = roundFailed ? consecutiveFailures + 1 : 0;
    meters.consecutiveFailures(consecutiveFailures);
    Duration delay = ctx.pacing().nextDelay(target.interval(), consecutiveFailures);
    log.report(roundFailed, consecutiveFailures, ended, counted, skipped, delay);
    if (!closed) {
      scheduleIn(delay);
    }
  }

  /** How long a round waits when every scrape permit is taken: a tenth of the interval, at most 1 s. */
  private Duration deferral() {
    Duration tenth = target.interval().dividedBy(10);
    return tenth.compareTo(MAX_DEFERRAL) < 0 ? tenth : MAX_DEFERRAL;
  }

  private void scheduleIn(Duration delay) {
    next = ctx.scheduler().schedule(delay, this::runRound);
  }
}
