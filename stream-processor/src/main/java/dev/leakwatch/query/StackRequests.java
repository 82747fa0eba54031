package dev.leakwatch.query;

import java.util.Objects;
import java.util.Set;

/** Validated requests about a service's stacks (every field checked by {@link Params}). */
public final class StackRequests {

  private StackRequests() {}

  /** Default and largest number of rows of a top or diff list. */
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1000;
  /** Default and largest number of frames shown per stack. */
  public static final int DEFAULT_FRAMES = 64;
  public static final int MAX_FRAMES = 1024;

  /** Most stack ids one top request may name ({@code stacks}): as many as its rows may be. */
  public static final int MAX_STACK_IDS = MAX_LIMIT;

  /**
   * The {@code limit} heaviest stacks by {@code metric} over {@code range}, {@code frames} frames each;
   * with {@code stacks}, only those of the given ids that have a value in the range (at most {@code
   * limit} of them: give the number of ids), ranked alike. Totals are the range's whatever the ids.
   *
   * @param stacks stack ids to answer for, unmodifiable; null for the heaviest stacks
   */
  public record Top(String service, Metric metric, RangeSpec range, int limit, int frames, Set<Long> stacks) {
    public Top {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(range, "range");
      stacks = stacks == null ? null : Set.copyOf(stacks);
    }

    /** The {@code limit} heaviest stacks. */
    public Top(String service, Metric metric, RangeSpec range, int limit, int frames) {
      this(service, metric, range, limit, frames, null);
    }
  }

  /** The stacks that grew most from {@code base} to {@code target}. */
  public record Diff(String service, Metric metric, RangeSpec base, RangeSpec target, int limit, int frames) {
    public Diff {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(target, "target");
    }
  }

  /** A merged profile over {@code range}; with {@code base}, the diff profile {@code range − base}. */
  public record Profile(String service, Section section, RangeSpec range, RangeSpec base) {
    public Profile {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(section, "section");
      Objects.requireNonNull(range, "range");
    }
  }
}
