package dev.leakwatch.agent.buffer;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded, ordered holding area between producers of profiles (scrapes, pushes) and the Kafka
 * publisher. Bounded by record count and by bytes; thread-safe.
 *
 * <p>Two admission policies: {@link #offerEvictingOldest} (scrapes: the newest profile is the most
 * valuable, so the oldest are dropped and counted) and {@link #tryOffer} (pushes: refuse, so the
 * pusher can retry later). Records come out in arrival order; {@link #requeue} puts a record
 * whose send failed back in its original place. Every eviction is counted in {@link #dropped()}
 * and logged (at most once per {@link #DROP_LOG_PERIOD}), and so is whatever {@link #close} finds
 * or is offered afterwards, so nothing is lost silently.
 */
public final class ProfileBuffer {
  static final Duration DROP_LOG_PERIOD = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(ProfileBuffer.class);

  private final int maxRecords;
  private final long maxBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final TreeMap<Long, Pending> items = new TreeMap<>();
  private long bytes;
  private long nextSeq;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private long lastDropLogNanos = System.nanoTime() - DROP_LOG_PERIOD.toNanos();
  private boolean closed;

  /**
   * @param maxRecords most records held, at least 1
   * @param maxBytes most bytes held, at least the largest single record ever offered
   */
  public ProfileBuffer(int maxRecords, long maxBytes) {
    if (maxRecords < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("bounds must be positive");
    }
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds a profile, evicting the oldest records until it fits.
   *
   * @return the records evicted to make room (empty in the normal case)
   * @throws IllegalArgumentException if the profile alone exceeds the byte bound
   */
  public List<Pending> offerEvictingOldest(String key, ProfileEnvelope envelope) {
    long size = sizeOf(envelope);
    checkFits(size);
    lock.lock();
    try {
      if (closed) {
        dropLate(key, envelope);
        return List.of();
      }
      List<Pending> evicted = evictUntilRoomFor(size);
      add(new Pending(nextSeq++, key, envelope, size));
      return evicted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds a profile only if it fits without evicting anything.
   *
   * @return false if the buffer is full or closed (nothing changed)
   */
  public boolean tryOffer(String key, ProfileEnvelope envelope) {
    long size = sizeOf(envelope);
    lock.lock();
    try {
      if (closed || items.size() >= maxRecords || bytes + size > maxBytes) {
        return false;
      }
      add(new Pending(nextSeq++, key, envelope, size));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts back a record taken earlier (its send failed), in its original order. If the buffer has
   * filled meanwhile, the oldest records, possibly this one, are dropped and counted; once the
   * buffer is closed, the record is dropped and counted.
   */
  public void requeue(Pending p) {
    lock.lock();
    try {
      if (closed) {
        dropLate(p.key(), p.envelope());
        return;
      }
      // back in its place first, then the oldest go while over a bound: this one before anything newer
      items.put(p.seq(), p);
      bytes += p.bytes();
      trimOverflow();
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes and returns the oldest record, waiting up to {@code timeout} for one.
   *
   * @return the record, or null if none arrived in time
   */
  public Pending poll(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (items.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      Pending p = items.pollFirstEntry().getValue();
      bytes -= p.bytes();
      return p;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the buffer at shutdown: removes everything still held and counts it in {@link
   * #dropped()}; from now on every offer or re-queue is refused and counted as dropped too, so a
   * profile that arrives after the final drain (a scrape finishing late) is never lost uncounted.
   *
   * @return the records that were still held (never delivered)
   */
  public List<Pending> close() {
    lock.lock();
    try {
      closed = true;
      List<Pending> out = new ArrayList<>(items.values());
      items.clear();
      bytes = 0;
      dropped.addAndGet(out.size());
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Records currently held. */
  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes currently held. */
  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /** Records evicted because the buffer was full, or undelivered at {@link #close}, since creation. */
  public long dropped() {
    return dropped.get();
  }

  /** Records admitted, since creation (re-queues not counted). */
  public long accepted() {
    return accepted.get();
  }

  /** The byte size charged for an envelope: the length of its profile body. */
  public static long sizeOf(ProfileEnvelope e) {
    return e.getProfile().remaining();
  }

  private void checkFits(long size) {
    if (size > maxBytes) {
      throw new IllegalArgumentException(
          "profile of " + size + " bytes exceeds the buffer's bound of " + maxBytes + " bytes");
    }
  }

  private void add(Pending p) {
    items.put(p.seq(), p);
    bytes += p.bytes();
    accepted.incrementAndGet();
    notEmpty.signal();
  }

  private List<Pending> evictUntilRoomFor(long size) {
    List<Pending> evicted = new ArrayList<>();
    while (!items.isEmpty() && (items.size() >= maxRecords || bytes + size > maxBytes)) {
      evicted.add(evictOldest());
    }
    return evicted;
  }

  private void trimOverflow() {
    while (items.size() > maxRecords || bytes > maxBytes) {
      evictOldest();
    }
  }

  private void dropLate(String key, ProfileEnvelope envelope) {
    dropped.incrementAndGet();
    LOG.warn("profile {} captured {} arrived after the buffer was closed at shutdown: dropped",
        key, envelope.getCaptureTime());
  }

  private Pending evictOldest() {
    Pending p = items.pollFirstEntry().getValue();
    bytes -= p.bytes();
    long n = dropped.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastDropLogNanos >= DROP_LOG_PERIOD.toNanos()) {
      lastDropLogNanos = now;
      LOG.warn(
          "profile buffer full ({} records, {} bytes): dropped the oldest profile {} captured {};"
              + " {} dropped so far",
          items.size() + 1, bytes + p.bytes(), p.key(), p.envelope().getCaptureTime(), n);
    }
    return p;
  }

}
