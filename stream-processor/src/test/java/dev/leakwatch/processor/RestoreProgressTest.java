package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What an operator sees of a restoration: records left and restored per store, and the summary line. */
class RestoreProgressTest {

  private static final String SERIES = "instance-series";
  private static final String WINDOWS = "service-windows";
  private static final TopicPartition SERIES_0 = new TopicPartition("app-instance-series-changelog", 0);
  private static final TopicPartition SERIES_1 = new TopicPartition("app-instance-series-changelog", 1);
  private static final TopicPartition WINDOWS_0 = new TopicPartition("app-service-windows-changelog", 0);

  private final AtomicLong now = new AtomicLong(1_000);
  private final RestoreProgress progress = new RestoreProgress(now::get);

  @Test
  void shouldCountRecordsLeftPerStoreFromEachPartitionsPositionToItsEndOffset() {
    progress.onRestoreStart(SERIES_0, SERIES, 0, 1_000);
    progress.onRestoreStart(SERIES_1, SERIES, 200, 700);
    progress.onRestoreStart(WINDOWS_0, WINDOWS, 100, 300);
    assertEquals(1_500, progress.remaining(SERIES));
    assertEquals(200, progress.remaining(WINDOWS));
    assertEquals(0, progress.remaining("suspect-lifecycle"), "a store not restoring");

    // batch end offsets are the last offset of the batch, inclusive
    progress.onBatchRestored(SERIES_0, SERIES, 399, 400);
    progress.onBatchRestored(SERIES_1, SERIES, 299, 100);
    progress.onBatchRestored(WINDOWS_0, WINDOWS, 299, 200);
    assertEquals(600 + 400, progress.remaining(SERIES));
    assertEquals(0, progress.remaining(WINDOWS));
    assertEquals(500, progress.restored(SERIES));
    assertEquals("restoring state: 1000 changelog records left in 3 partitions (instance-series 1000, "
        + "service-windows 0)", progress.summary());
  }

  @Test
  void shouldForgetAPartitionThatEndedOrMovedAwayButKeepWhatItRestored() {
    progress.onRestoreStart(SERIES_0, SERIES, 0, 1_000);
    progress.onRestoreStart(SERIES_1, SERIES, 0, 500);
    progress.onBatchRestored(SERIES_0, SERIES, 999, 1_000);
    progress.onRestoreEnd(SERIES_0, SERIES, 1_000);
    progress.onBatchRestored(SERIES_1, SERIES, 99, 100);
    progress.onRestoreSuspended(SERIES_1, SERIES, 100);

    assertEquals(0, progress.remaining(SERIES));
    assertEquals(1_100, progress.restored(SERIES), "a count since start: restorations that ended still count");
    assertEquals("restoring state: 0 changelog records left in 0 partitions ()", progress.summary());
  }

  @Test
  void shouldCountAgainFromTheNewPositionWhenAPartitionRestoresAgain() {
    progress.onRestoreStart(SERIES_0, SERIES, 0, 1_000);
    progress.onBatchRestored(SERIES_0, SERIES, 499, 500);
    progress.onRestoreSuspended(SERIES_0, SERIES, 500);
    // the task comes back after a rebalance; the changelog has grown meanwhile
    progress.onRestoreStart(SERIES_0, SERIES, 500, 1_200);
    assertEquals(700, progress.remaining(SERIES));
    assertEquals(500, progress.restored(SERIES));
  }
}
