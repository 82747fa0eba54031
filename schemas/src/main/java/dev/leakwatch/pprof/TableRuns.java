package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WireReader.LEN;

/**
 * Reads a run of consecutive location, function and string records (Go writes them one after the
 * other) without the general reader's per-record bookkeeping, as long as each record has a one-byte
 * tag and a one-byte length that fits the input, stays within the limits and, for locations and
 * functions, has the layout {@link GoLayoutReader} reads. It stops before the first record that does
 * not: that one is left to the general reader, which reports problems exactly. It never throws.
 */
final class TableRuns {
  private static final byte LOCATION_TAG = 4 << 3 | LEN;
  private static final byte FUNCTION_TAG = 5 << 3 | LEN;
  private static final byte STRING_TAG = 6 << 3 | LEN;

  private final RawProfile p;
  private final DecodeLimits limits;
  private final GoLayoutReader fast;
  // a function's fields 1..5, as read by the fast reader
  private final long[] fields = new long[5];

  TableRuns(RawProfile p, DecodeLimits limits, GoLayoutReader fast) {
    this.p = p;
    this.limits = limits;
    this.fast = fast;
  }

  /**
   * Reads the location, function and string records from offset {@code at} on, in any order (Go
   * writes a location's new functions right after it, and the strings after them all); returns
   * where it stopped.
   */
  int records(int at) {
    byte[] b = p.buf;
    int base = p.base;
    int length = p.length;
    while (length - at >= 2) {
      int q = base + at;
      int len = b[q + 1];
      if (len < 0 || len > length - at - 2) {
        break;
      }
      int end = at + 2 + len;
      boolean read = switch (b[q]) {
        case LOCATION_TAG -> p.locationCount() < limits.maxLocations()
            && fast.location(at, at + 2, end, p.locations, p.locations.linesAllowed(limits));
        case FUNCTION_TAG -> p.functionCount() < limits.maxFunctions()
            && function(at, at + 2, end);
        case STRING_TAG -> string(at + 2, end);
        default -> false;
      };
      if (!read) {
        break;
      }
      at = end;
    }
    return at;
  }

  /**
   * Notes the string at {@code [from, to)} if it is within the limits and not the first (whose
   * offset the general reader keeps for error messages).
   */
  private boolean string(int from, int to) {
    int n = p.stringStart.size();
    if (n == 0 || n >= limits.maxStrings() || to - from > limits.maxStringBytes()) {
      return false;
    }
    p.stringStart.add(from);
    p.stringEnd.add(to);
    return true;
  }

  /**
   * Reads the content {@code [from, to)} of the function record at {@code at} if it is laid out as
   * Go writes it; false, with nothing added, if not.
   */
  boolean function(int at, int from, int to) {
    if (!fast.varintFields(from, to, fields)) {
      return false;
    }
    p.fnOffset.add(at);
    addFunction(fields[0], fields[1], fields[2], fields[3], fields[4]);
    return true;
  }

  /** Appends a function's fields, string indexes unresolved. */
  void addFunction(long id, long name, long system, long file, long start) {
    p.fnId.add(id);
    p.fnName.add(name);
    p.fnSystemName.add(system);
    p.fnFile.add(file);
    p.fnStartLine.add(start);
  }
}
