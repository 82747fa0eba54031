package dev.leakwatch.pprof;

import java.util.Objects;

/**
 * One row of a {@link Top} report: a function with its flat and cumulative value, in the unit of
 * the reported sample type.
 *
 * @param function function name as pprof prints it
 * @param flat value of samples whose leaf frame is this function
 * @param cum value of samples with this function anywhere in the stack (once per sample)
 * @param inlining whether the function shows up inlined into its callers
 */
public record TopRow(String function, long flat, long cum, Inlining inlining) {
  /** How a function appears in stacks, as pprof's {@code (inline)} suffix tells. */
  public enum Inlining {
    /** Only ever called normally (or a root). */
    NONE(""),
    /** Every call edge into it was inlined. */
    INLINE("(inline)"),
    /** Some call edges into it were inlined, some not. */
    PARTIAL("(partial-inline)");

    private final String label;

    Inlining(String label) {
      this.label = label;
    }

    /** The suffix pprof prints, "" for none. */
    public String label() {
      return label;
    }
  }

  public TopRow {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(inlining, "inlining");
  }
}
