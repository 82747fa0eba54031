package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A decoded pprof profile: typed samples over shared locations, functions and mappings.
 *
 * <p>Immutable and thread-safe. Times are nanoseconds: {@link #timeNanos()} since the Unix epoch
 * (wall clock of the profiled process at capture), {@link #durationNanos()} the profiled interval.
 * Strings are never null; an unset string field reads as "". Build one with {@link #builder()} or
 * get one from {@link ProfileDecoder}.
 */
public final class Profile {
  private final List<ValueType> sampleTypes;
  private final String defaultSampleType;
  private final int defaultSampleIndex;
  private final List<Sample> samples;
  // the decoder's, or made from the samples on first use (immutable: safe to publish by a race)
  private SampleTable table;
  private final List<Mapping> mappings;
  private final List<Location> locations;
  private final List<Function> functions;
  private final List<String> comments;
  private final String docUrl;
  private final String dropFrames;
  private final String keepFrames;
  private final ValueType periodType;
  private final long period;
  private final long timeNanos;
  private final long durationNanos;

  private Profile(Builder b) {
    this.sampleTypes = List.copyOf(b.sampleTypes);
    this.defaultSampleType = Objects.requireNonNull(b.defaultSampleType, "defaultSampleType");
    // the decoder's tables are unmodifiable lists that nothing else references: no copies
    this.table = b.decoded ? b.table : null;
    this.samples = b.decoded ? b.samples : List.copyOf(b.samples);
    this.mappings = b.decoded ? b.mappings : List.copyOf(b.mappings);
    this.locations = b.decoded ? b.locations : List.copyOf(b.locations);
    this.functions = b.decoded ? b.functions : List.copyOf(b.functions);
    this.comments = List.copyOf(b.comments);
    this.docUrl = Objects.requireNonNull(b.docUrl, "docUrl");
    this.dropFrames = Objects.requireNonNull(b.dropFrames, "dropFrames");
    this.keepFrames = Objects.requireNonNull(b.keepFrames, "keepFrames");
    this.periodType = Objects.requireNonNull(b.periodType, "periodType");
    this.period = b.period;
    this.timeNanos = b.timeNanos;
    this.durationNanos = b.durationNanos;
    if (defaultSampleType.isEmpty()) {
      this.defaultSampleIndex = sampleTypes.size() - 1;
    } else {
      this.defaultSampleIndex = sampleIndex(defaultSampleType);
      if (defaultSampleIndex < 0) {
        throw new IllegalArgumentException(
            "default sample type '" + defaultSampleType + "' is not one of " + sampleTypes);
      }
    }
    if (b.decoded) {
      return; // each sample's value count checked by the decoder
    }
    for (Sample s : samples) {
      if (s.valueCount() != sampleTypes.size()) {
        throw new IllegalArgumentException(
            "sample has " + s.valueCount() + " values for " + sampleTypes.size() + " sample types");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder preset with every field of this profile, for derived profiles. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.sampleTypes = new ArrayList<>(sampleTypes);
    b.defaultSampleType = defaultSampleType;
    b.samples = new ArrayList<>(samples);
    b.mappings = new ArrayList<>(mappings);
    b.locations = new ArrayList<>(locations);
    b.functions = new ArrayList<>(functions);
    b.comments = new ArrayList<>(comments);
    b.docUrl = docUrl;
    b.dropFrames = dropFrames;
    b.keepFrames = keepFrames;
    b.periodType = periodType;
    b.period = period;
    b.timeNanos = timeNanos;
    b.durationNanos = durationNanos;
    return b;
  }

  /** The sample types, one per value of every sample; never empty for decoded profiles. */
  public List<ValueType> sampleTypes() {
    return sampleTypes;
  }

  /**
   * Index of the sample type shown by default: the profile's {@code default_sample_type} (e.g.
   * {@code inuse_space} for Go heap profiles), or the last sample type when that is unset, as
   * {@code go tool pprof} does. -1 only for a profile without sample types.
   */
  public int defaultSampleIndex() {
    return defaultSampleIndex;
  }

  /** The {@code default_sample_type} name as written in the profile; "" when unset. */
  public String defaultSampleType() {
    return defaultSampleType;
  }

  /** Index of the sample type named {@code typeName} (e.g. "inuse_space"), or -1 if absent. */
  public int sampleIndex(String typeName) {
    for (int i = 0; i < sampleTypes.size(); i++) {
      if (sampleTypes.get(i).type().equals(typeName)) {
        return i;
      }
    }
    return -1;
  }

  /** What one {@link #period()} counts, e.g. {@code space/bytes}; {@code ("", "")} when unset. */
  public ValueType periodType() {
    return periodType;
  }

  /** Sampling period in {@link #periodType()} units (Go heap: MemProfileRate in bytes). */
  public long period() {
    return period;
  }

  /** Capture time, nanoseconds since the Unix epoch; 0 when unset. */
  public long timeNanos() {
    return timeNanos;
  }

  /** Length of the profiled interval in nanoseconds; 0 when unset. */
  public long durationNanos() {
    return durationNanos;
  }

  /** The samples in profile order; may be empty (a valid profile that saw nothing). */
  public List<Sample> samples() {
    return samples;
  }

  /**
   * The samples as flat arrays, numbered as in {@link #samples()}: for loops over every value or
   * stack entry without a {@link Sample} object per sample.
   */
  public SampleTable sampleTable() {
    SampleTable t = table;
    if (t == null) {
      t = SampleTable.of(samples, sampleTypes.size());
      table = t;
    }
    return t;
  }

  public List<String> comments() {
    return comments;
  }

  /** Documentation link of the profile type; "" when unset. */
  public String docUrl() {
    return docUrl;
  }

  /** Regexp of frames to drop from stacks when displaying; "" when unset. */
  public String dropFrames() {
    return dropFrames;
  }

  /** Regexp of frames to keep despite {@link #dropFrames()}; "" when unset. */
  public String keepFrames() {
    return keepFrames;
  }

  public List<Mapping> mappings() {
    return mappings;
  }

  /** The location table in profile order. */
  public List<Location> locations() {
    return locations;
  }

  /** The function table in profile order. */
  public List<Function> functions() {
    return functions;
  }

  /**
   * Sum of value {@code sampleIndex} over all samples (including samples with an empty stack), in
   * the unit of {@code sampleTypes().get(sampleIndex)}.
   *
   * @throws IndexOutOfBoundsException if there is no such sample type
   */
  public long totalValue(int sampleIndex) {
    return sampleTable().total(sampleIndex);
  }

  /** Value equality over every field (tables, samples and metadata). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Profile p
        && period == p.period
        && timeNanos == p.timeNanos
        && durationNanos == p.durationNanos
        && sampleTypes.equals(p.sampleTypes)
        && defaultSampleType.equals(p.defaultSampleType)
        && periodType.equals(p.periodType)
        && comments.equals(p.comments)
        && docUrl.equals(p.docUrl)
        && dropFrames.equals(p.dropFrames)
        && keepFrames.equals(p.keepFrames)
        && mappings.equals(p.mappings)
        && functions.equals(p.functions)
        && locations.equals(p.locations)
        && samples.equals(p.samples);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleTypes, timeNanos, durationNanos, samples.size(), locations.size());
  }

  @Override
  public String toString() {
    return "Profile{types=" + sampleTypes + ", samples=" + samples.size()
        + ", locations=" + locations.size() + ", timeNanos=" + timeNanos + "}";
  }

  /** Mutable builder; {@link #build()} validates and copies. */
  public static final class Builder {
    private List<ValueType> sampleTypes = new ArrayList<>();
    private String defaultSampleType = "";
    private List<Sample> samples = new ArrayList<>();
    // set by decodedTables, with decoded: the samples are this table's
    private SampleTable table;
    private List<Mapping> mappings = new ArrayList<>();
    private List<Location> locations = new ArrayList<>();
    private List<Function> functions = new ArrayList<>();
    private List<String> comments = new ArrayList<>();
    private String docUrl = "";
    private String dropFrames = "";
    private String keepFrames = "";
    private ValueType periodType = new ValueType("", "");
    private long period;
    private long timeNanos;
    private long durationNanos;
    // set by decodedTables: the four tables are unmodifiable and not shared
    private boolean decoded;

    private Builder() {}

    public Builder sampleTypes(List<ValueType> v) {
      sampleTypes = new ArrayList<>(v);
      return this;
    }

    /** Name of the default sample type, "" for "the last one". */
    public Builder defaultSampleType(String v) {
      defaultSampleType = v;
      return this;
    }

    public Builder samples(List<Sample> v) {
      decoded = false;
      samples = new ArrayList<>(v);
      return this;
    }

    /**
     * For the decoder: sets the samples, as its table, and the tables from unmodifiable lists that
     * nobody else references, without the defensive copies the public setters and {@link #build()}
     * make (a public table setter called afterwards makes the builder copy again).
     */
    Builder decodedTables(SampleTable samples, List<Location> locations,
        List<Function> functions, List<Mapping> mappings) {
      this.decoded = true;
      this.table = samples;
      this.samples = samples.asList();
      this.locations = locations;
      this.functions = functions;
      this.mappings = mappings;
      return this;
    }

    public Builder mappings(List<Mapping> v) {
      decoded = false;
      mappings = new ArrayList<>(v);
      return this;
    }

    public Builder locations(List<Location> v) {
      decoded = false;
      locations = new ArrayList<>(v);
      return this;
    }

    public Builder functions(List<Function> v) {
      decoded = false;
      functions = new ArrayList<>(v);
      return this;
    }

    public Builder comments(List<String> v) {
      comments = new ArrayList<>(v);
      return this;
    }

    public Builder docUrl(String v) {
      docUrl = v;
      return this;
    }

    public Builder dropFrames(String v) {
      dropFrames = v;
      return this;
    }

    public Builder keepFrames(String v) {
      keepFrames = v;
      return this;
    }

    public Builder periodType(ValueType v) {
      periodType = v;
      return this;
    }

    public Builder period(long v) {
      period = v;
      return this;
    }

    public Builder timeNanos(long v) {
      timeNanos = v;
      return this;
    }

    public Builder durationNanos(long v) {
      durationNanos = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a sample's value count differs from the number of sample
     *     types or the default sample type names none of them
     */
    public Profile build() {
      return new Profile(this);
    }
  }
}
