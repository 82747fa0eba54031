package dev.leakwatch.agent.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Reading a push body: memory follows the bytes that arrive, not the Content-Length a client
 * declares. Otherwise a few hundred header bytes per request would make the agent allocate up to
 * {@code push.maxBodySize} each, and a few dozen such requests, waiting out the body deadline on
 * Jetty's threads, would exhaust a 512 MiB agent that also scrapes its targets.
 */
class BoundedBodyTest {
  private static final long MAX = 16L << 20;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void shouldNotAllocateTheDeclaredLengthBeforeTheBytesArrive() {
    byte[] arrived = new byte[1024];
    long before = allocatedByThisThread();

    PushRejection e =
        assertThrows(
            PushRejection.class,
            () -> BoundedBody.read(new ByteArrayInputStream(arrived), MAX, MAX));

    long allocated = allocatedByThisThread() - before;
    assertEquals(400, e.status(), e.getMessage());
    assertTrue(allocated < MAX / 4, "allocated " + allocated + " bytes for 1 KiB that arrived");
  }

  @Test
  void shouldReadABodyOfTheDeclaredLengthInFull() {
    byte[] body = new byte[3 << 20];
    body[body.length - 1] = 7;

    byte[] read = BoundedBody.read(new ByteArrayInputStream(body), body.length, MAX);

    assertEquals(body.length, read.length);
    assertEquals(7, read[read.length - 1]);
  }
}
