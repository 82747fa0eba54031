package dev.leakwatch.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * Collecting a scraped body: memory follows the bytes that arrive, not the Content-Length the
 * target declares. Otherwise every round in flight (up to {@code scrape.maxConcurrent}, 64 by
 * default) against a target that declares the bound and then sends little or stalls would hold
 * {@code scrape.maxBodySize} (16 MiB) each: a gigabyte.
 */
class BoundedBodySubscriberTest {
  private static final long MAX = 16L << 20;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static final Flow.Subscription NO_OP =
      new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  @Test
  void shouldNotReserveTheDeclaredLengthBeforeTheBytesArrive() {
    long before = allocatedByThisThread();

    BoundedBodySubscriber body = new BoundedBodySubscriber(MAX, true, MAX);

    long allocated = allocatedByThisThread() - before;
    assertFalse(body.getBody().toCompletableFuture().isDone());
    assertTrue(allocated < MAX / 4, "reserved " + allocated + " bytes before any byte arrived");
  }

  @Test
  void shouldCollectABodyLargerThanWhatWasReservedInFull() {
    byte[] sent = new byte[(BoundedBodySubscriber.MAX_PRESIZE * 3) + 5];
    for (int i = 0; i < sent.length; i++) {
      sent[i] = (byte) (i * 31);
    }
    BoundedBodySubscriber body = new BoundedBodySubscriber(MAX, true, sent.length);
    body.onSubscribe(NO_OP);
    for (int off = 0; off < sent.length; off += 65536) {
      body.onNext(List.of(ByteBuffer.wrap(sent, off, Math.min(65536, sent.length - off))));
    }
    body.onComplete();

    assertArrayEquals(sent, body.getBody().toCompletableFuture().join());
  }
}
