package dev.leakwatch.reliability.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The campaign's watchdog and failure capture, on targets that misbehave on purpose. */
@Tag("fuzz")
class FuzzCampaignTest {

  @TempDir Path failures;

  /**
   * Rejects inputs starting with 0 as a typed outcome, crashes on 1, hangs on 2, allocates
   * {@code input[1]} MiB on 3, accepts the rest. Budget: 1 MiB.
   */
  private static final class Misbehaving implements FuzzTarget {
    final CountDownLatch never = new CountDownLatch(1);
    /** Keeps the allocation observable, so the JIT cannot drop it. */
    volatile byte[] held;

    @Override
    public long allocationBudget(int inputBytes) {
      return 1 << 20;
    }

    @Override
    public String name() {
      return "misbehaving";
    }

    @Override
    public String run(byte[] input) {
      switch (input[0]) {
        case 0:
          return "rejected";
        case 1:
          throw new IllegalStateException("untyped");
        case 2:
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "unreachable";
        case 3:
          held = new byte[input[1] << 20];
          return "allocated";
        default:
          return "ok";
      }
    }
  }

  private FuzzCampaign.Report run(byte[]... inputs) {
    int[] next = {0};
    return FuzzCampaign.run(new Misbehaving(), 7, inputs.length, Duration.ofMillis(300),
        (rnd, pool) -> inputs[next[0]++], failures);
  }

  @Test
  void shouldCountOutcomeClassesAndKeepSmallestInputOfEach() {
    FuzzCampaign.Report r = run(new byte[] {0, 9, 9}, new byte[] {5}, new byte[] {0}, new byte[] {5, 5});

    assertTrue(r.failures().isEmpty(), r.summary());
    assertEquals(4, r.inputs());
    assertEquals(2, r.classes().get("rejected"));
    assertEquals(2, r.classes().get("ok"));
    assertArrayEquals(new byte[] {0}, r.smallestByClass().get("rejected"));
  }

  @Test
  void shouldReportUntypedExceptionAsFailureAndSaveTheInput() throws Exception {
    FuzzCampaign.Report r = run(new byte[] {5}, new byte[] {1, 42}, new byte[] {5});

    assertEquals(1, r.failures().size(), r.summary());
    FuzzCampaign.Failure f = r.failures().get(0);
    assertEquals(1, f.index());
    assertTrue(f.what().contains("IllegalStateException: untyped"), f.what());
    assertArrayEquals(new byte[] {1, 42}, Files.readAllBytes(f.saved()));
    assertEquals(3, r.inputs(), "a crash does not stop the campaign");
  }

  @Test
  void shouldStopAtHangingInputAndReportIt() throws Exception {
    FuzzCampaign.Report r = run(new byte[] {5}, new byte[] {2, 7}, new byte[] {5});

    assertEquals(1, r.failures().size(), r.summary());
    assertTrue(r.failures().get(0).what().contains("hang"), r.failures().get(0).what());
    assertArrayEquals(new byte[] {2, 7}, Files.readAllBytes(r.failures().get(0).saved()));
    assertEquals(1, r.inputs(), "inputs completed before the hang");
  }

  @Test
  void shouldReportAnInputThatAllocatesOverTheTargetsBudgetAndNameTheLargest() throws Exception {
    FuzzCampaign.Report r = run(new byte[] {3, 0}, new byte[] {3, 4}, new byte[] {5});

    assertEquals(1, r.failures().size(), r.summary());
    FuzzCampaign.Failure f = r.failures().get(0);
    assertEquals(1, f.index());
    assertTrue(f.what().startsWith("allocated ") && f.what().contains("over the budget of 1048576"), f.what());
    assertArrayEquals(new byte[] {3, 4}, Files.readAllBytes(f.saved()));
    assertTrue(r.largestAllocation().bytes() >= 4 << 20, r.summary());
    assertEquals("allocated", r.largestAllocation().outcomeClass());
    assertEquals(3, r.inputs(), "an allocation over the budget does not stop the campaign");
  }
}
