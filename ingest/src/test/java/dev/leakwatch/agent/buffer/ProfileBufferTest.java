package dev.leakwatch.agent.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The buffer's bounds and ordering; envelopes carry opaque bytes here (the buffer never reads them). */
class ProfileBufferTest {

  private static ProfileEnvelope envelope(String instance, int bytes) {
    return ProfileEnvelope.newBuilder()
        .setService("svc")
        .setInstance(instance)
        .setProfileType(ProfileType.HEAP)
        .setCaptureTime(Instant.EPOCH)
        .setLabels(Map.of())
        .setSource(IngestSource.SCRAPE)
        .setProfile(ByteBuffer.wrap(new byte[bytes]))
        .build();
  }

  private static String take(ProfileBuffer b) throws InterruptedException {
    Pending p = b.poll(Duration.ZERO);
    return p == null ? null : p.envelope().getInstance();
  }

  @Test
  void shouldEvictOldestAndCountWhenRecordBoundIsReached() throws Exception {
    ProfileBuffer b = new ProfileBuffer(2, 1_000);
    b.offerEvictingOldest("k", envelope("a", 10));
    b.offerEvictingOldest("k", envelope("b", 10));
    List<Pending> evicted = b.offerEvictingOldest("k", envelope("c", 10));

    assertEquals(1, evicted.size());
    assertEquals("a", evicted.get(0).envelope().getInstance());
    assertEquals(1, b.dropped());
    assertEquals("b", take(b));
    assertEquals("c", take(b));
    assertNull(take(b));
  }

  @Test
  void shouldEvictAsManyAsNeededWhenByteBoundIsReached() throws Exception {
    ProfileBuffer b = new ProfileBuffer(100, 100);
    b.offerEvictingOldest("k", envelope("a", 40));
    b.offerEvictingOldest("k", envelope("b", 40));
    b.offerEvictingOldest("k", envelope("c", 90));

    assertEquals(2, b.dropped());
    assertEquals(90, b.bytes());
    assertEquals("c", take(b));
  }

  @Test
  void shouldRefuseWithoutEvictingWhenTryOfferFindsNoRoom() {
    ProfileBuffer b = new ProfileBuffer(1, 1_000);
    assertTrue(b.tryOffer("k", envelope("a", 10)));
    assertFalse(b.tryOffer("k", envelope("b", 10)));
    assertEquals(1, b.size());
    assertEquals(0, b.dropped());
  }

  @Test
  void shouldReturnRequeuedRecordToItsOriginalPlace() throws Exception {
    ProfileBuffer b = new ProfileBuffer(10, 1_000);
    b.offerEvictingOldest("k", envelope("a", 1));
    b.offerEvictingOldest("k", envelope("b", 1));
    b.offerEvictingOldest("k", envelope("c", 1));
    Pending a = b.poll(Duration.ZERO);
    Pending bb = b.poll(Duration.ZERO);

    b.requeue(bb);
    b.requeue(a);

    assertEquals("a", take(b));
    assertEquals("b", take(b));
    assertEquals("c", take(b));
    assertEquals(3, b.accepted());
  }

  @Test
  void shouldDropOldestWhenRequeueFindsBufferFull() throws Exception {
    ProfileBuffer b = new ProfileBuffer(2, 1_000);
    b.offerEvictingOldest("k", envelope("a", 1));
    Pending a = b.poll(Duration.ZERO);
    b.offerEvictingOldest("k", envelope("b", 1));
    b.offerEvictingOldest("k", envelope("c", 1));

    b.requeue(a);

    assertEquals(1, b.dropped());
    assertEquals(2, b.size());
    // the oldest is dropped, as when a scrape finds the buffer full: here the re-queued one itself
    assertEquals("b", b.poll(Duration.ZERO).envelope().getInstance());
    assertEquals("c", b.poll(Duration.ZERO).envelope().getInstance());
  }

  @Test
  void shouldRejectProfileLargerThanWholeBuffer() {
    ProfileBuffer b = new ProfileBuffer(10, 100);
    assertThrows(IllegalArgumentException.class, () -> b.offerEvictingOldest("k", envelope("a", 101)));
  }

  @Test
  void shouldCountRecordsStillHeldAtCloseAsDropped() {
    ProfileBuffer b = new ProfileBuffer(10, 100);
    b.offerEvictingOldest("k", envelope("a", 1));
    b.offerEvictingOldest("k", envelope("b", 1));

    assertEquals(2, b.close().size());
    assertEquals(0, b.size());
    assertEquals(0, b.bytes());
    assertEquals(2, b.dropped());
  }

  @Test
  void shouldCountProfilesArrivingAfterCloseAsDroppedInsteadOfLosingThem() throws Exception {
    ProfileBuffer b = new ProfileBuffer(10, 100);
    b.offerEvictingOldest("k", envelope("a", 1));
    Pending inFlight = b.poll(Duration.ZERO);
    b.close();

    // a scrape finishing after the final drain, a send failing after it, a push racing the stop
    assertEquals(List.of(), b.offerEvictingOldest("k", envelope("late", 1)));
    b.requeue(inFlight);
    assertFalse(b.tryOffer("k", envelope("push", 1)));

    assertEquals(2, b.dropped(), "the late scrape and the failed send; the push was refused (503)");
    assertEquals(0, b.size());
    assertEquals(1, b.accepted(), "only the first profile was ever admitted");
  }
}
