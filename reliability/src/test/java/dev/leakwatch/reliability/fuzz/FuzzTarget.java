package dev.leakwatch.reliability.fuzz;

/**
 * Code under fuzzing and its contract for untrusted bytes.
 *
 * <p>{@link #run} feeds one input and returns its outcome class: {@code "ok"} or a short,
 * number-free description of the rejection (reason and where), which the campaign uses as its
 * coverage signal. A typed rejection is an outcome; anything else (another exception, an
 * {@link Error}, an imprecise message, a result that breaks a bound) propagates and is a failure.
 */
interface FuzzTarget {

  /** Stable name: the corpus directory under {@code testdata/fuzz/} and the report label. */
  String name();

  /**
   * @param input the bytes, never null
   * @return the outcome class
   * @throws AssertionError when the outcome breaks the contract (imprecise error, bound exceeded)
   */
  String run(byte[] input);

  /**
   * The most bytes one run of an input of {@code inputBytes} may allocate (on its thread, garbage
   * included): what holds the target's memory to its limits rather than to what an input declares
   * (a count, a length, a gzip bomb's inflated size).
   */
  long allocationBudget(int inputBytes);

  /** Fails the contract with {@code message} when {@code condition} does not hold. */
  static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  /**
   * The class of a rejection message: its first two {@code ": "}-separated parts (what, then why),
   * without the serde's record description, numbers, hex, quoted names, bracketed lists and
   * non-ASCII, each part cut short. Inputs that differ only in values land in the same class.
   */
  static String shape(String message) {
    String s = message == null ? "(no message)" : message;
    s = s.replaceFirst("^topic '[^']*', \\d+ bytes( starting( [0-9a-f]{2})+( \\.\\.\\.)?)?: ", "");
    s = s.replaceAll("'[^']*'", "'_'").replaceAll("\\[[^\\]]*\\]", "[_]").replaceAll("0x[0-9a-fA-F]+", "#")
        .replaceAll("\\d+", "#").replaceAll("[^\\x20-\\x7E]+", "");
    String[] parts = s.split(": ", 3);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(2, parts.length); i++) {
      out.append(i == 0 ? "" : ": ").append(parts[i], 0, Math.min(50, parts[i].length()));
    }
    return out.toString();
  }
}
