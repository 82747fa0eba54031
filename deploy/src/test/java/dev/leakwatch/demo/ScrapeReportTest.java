package dev.leakwatch.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link ScrapeReport} on the meters an agent keeps per target. */
class ScrapeReportTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  /** A current target, as the agent registers it, with its scrape counts and failures in a row. */
  private void target(String service, String instance, int ok, int failed, int failuresInARow) {
    registry.gauge("leakwatch.agent.target.consecutive.failures",
        List.of(Tag.of("service", service),
            Tag.of("instance", instance)),
        new AtomicInteger(failuresInARow));
    registry.counter("leakwatch.agent.scrapes", "service", service, "instance", instance, "profile", "heap",
        "outcome", "ok").increment(ok);
    registry.counter("leakwatch.agent.scrapes", "service", service, "instance", instance, "profile", "heap",
        "outcome", "failed").increment(failed);
  }

  @Test
  void shouldNotReportATargetThatWasNeverAskedAsOneThatNeverDelivered() {
    target("orders", "127.0.0.1:6060", 0, 0, 0);   // the run ended before its first round
    target("ghost", "127.0.0.1:1", 0, 3, 3);        // asked three times, never answered
    target("pusher", "127.0.0.1:6061", 5, 1, 0);    // delivered

    assertEquals(List.of("ghost/127.0.0.1:1"), ScrapeReport.neverScraped(registry));
    assertEquals(List.of("orders/127.0.0.1:6060"), ScrapeReport.notAskedYet(registry));
  }

  @Test
  void shouldCountATargetWhoseLatestRoundFailedAsAskedEvenBeforeAnyScrapeIsCounted() {
    target("slow", "127.0.0.1:6062", 0, 0, 1);

    assertEquals(List.of("slow/127.0.0.1:6062"), ScrapeReport.neverScraped(registry));
    assertEquals(List.of(), ScrapeReport.notAskedYet(registry));
  }
}
