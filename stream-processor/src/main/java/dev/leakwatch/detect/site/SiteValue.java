package dev.leakwatch.detect.site;

import dev.leakwatch.detect.Site;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A site's value in one capture: in-use bytes (heap) or goroutine count, summed over every sample whose
 * stack maps to the site.
 *
 * <p>The {@link Site} itself (its frames) may be built on first {@link #site()} call: detection reads
 * the id and the value of every site of every capture, but the frames only of the few that grow.
 * Immutable and thread-safe (a racing first call builds an equal site twice).
 */
public final class SiteValue {
  private final long id;
  private final long value;
  private final long allocBytes;
  private final Supplier<Site> source;
  private volatile Site site;

  /** A value for a built site, its allocations unknown. */
  public SiteValue(Site site, long value) {
    this(site, value, CaptureSnapshot.ABSENT);
  }

  /**
   * A value for a built site with its cumulative allocations.
   *
   * @param allocBytes heap: bytes the site allocated since process start ({@code alloc_space});
   *                   {@link CaptureSnapshot#ABSENT} when unknown (goroutine sites)
   */
  public SiteValue(Site site, long value, long allocBytes) {
    this(Objects.requireNonNull(site, "site").id(), value, allocBytes, null);
    this.site = site;
  }

  /**
   * A value whose site is built by {@code source} on first use.
   *
   * @param id the {@link Site#id()} that {@code source} will produce
   */
  static SiteValue lazy(long id, long value, long allocBytes, Supplier<Site> source) {
    return new SiteValue(id, value, allocBytes, Objects.requireNonNull(source, "source"));
  }

  private SiteValue(long id, long value, long allocBytes, Supplier<Site> source) {
    if (value < 0) {
      throw new IllegalArgumentException("negative site value " + value);
    }
    this.id = id;
    this.value = value;
    this.allocBytes = allocBytes < 0 ? CaptureSnapshot.ABSENT : allocBytes;
    this.source = source;
  }

  /** {@link Site#id()} of the site, without building it. */
  public long id() {
    return id;
  }

  /** The value: bytes or goroutines; never negative. */
  public long value() {
    return value;
  }

  /**
   * Heap: bytes the site allocated since process start ({@code alloc_space}, cumulative, published at GC
   * like the in-use value); {@link CaptureSnapshot#ABSENT} when unknown (goroutine sites, values built
   * without it).
   */
  public long allocBytes() {
    return allocBytes;
  }

  /** The site, built on first call when it was extracted lazily. */
  public Site site() {
    Site s = site;
    if (s == null) {
      s = source.get();
      site = s;
    }
    return s;
  }

  /** The same site with another's value and allocations added (allocations unknown if either is). */
  SiteValue plus(SiteValue other) {
    long alloc = allocBytes < 0 || other.allocBytes < 0 ? CaptureSnapshot.ABSENT : allocBytes + other.allocBytes;
    SiteValue v = new SiteValue(id, value + other.value, alloc, source);
    v.site = site;
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SiteValue v && v.id == id && v.value == value && v.site().equals(site());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Long.hashCode(value);
  }

  @Override
  public String toString() {
    return "SiteValue[site=" + site() + ", value=" + value + "]";
  }
}
