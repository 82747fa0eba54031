package dev.leakwatch.pprof;

import static dev.leakwatch.pprof.WireReader.LEN;

/**
 * Reads runs of consecutive string, location and function records (Go writes each table in one
 * run) without the general reader's per-record bookkeeping, as long as each record has a one-byte
 * tag and a one-byte length that fits the input, stays within the limits and, for locations and
 * functions, has the layout {@link GoLayoutReader} reads. Each method returns the protobuf offset
 * where it stopped: the record there, if any, is left to the general reader, which reports problems
 * exactly. It never throws.
 */
final class TableRuns {
  private static final int LOCATION_TAG = 4 << 3 | LEN;
  private static final int FUNCTION_TAG = 5 << 3 | LEN;
  private static final int STRING_TAG = 6 << 3 | LEN;

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

  /** Notes the string records from offset {@code at} on, within the string limits. */
  int strings(int at) {
    int room = limits.maxStrings() - p.stringStart.size();
    for (int end = contentEnd(at, STRING_TAG); end >= 0 && room > 0;
        end = contentEnd(at, STRING_TAG)) {
      if (end - at - 2 > limits.maxStringBytes()) {
        break;
      }
      p.stringStart.add(at + 2);
      p.stringEnd.add(end);
      at = end;
      room--;
    }
    return at;
  }

  /** Reads the location records from offset {@code at} on, within the location limit. */
  int locations(int at) {
    for (int end = contentEnd(at, LOCATION_TAG); end >= 0
        && p.locationCount() < limits.maxLocations(); end = contentEnd(at, LOCATION_TAG)) {
      if (!fast.location(at, at + 2, end, p.locations, limits.maxStackDepth())) {
        break;
      }
      at = end;
    }
    return at;
  }

  /** Reads the function records from offset {@code at} on, within the function limit. */
  int functions(int at) {
    for (int end = contentEnd(at, FUNCTION_TAG); end >= 0
        && p.functionCount() < limits.maxFunctions(); end = contentEnd(at, FUNCTION_TAG)) {
      if (!function(at, at + 2, end)) {
        break;
      }
      at = end;
    }
    return at;
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

  /**
   * Where the content of the record at offset {@code at} ends if it has the one-byte {@code tag}
   * and a one-byte length that fits the input; else -1.
   */
  private int contentEnd(int at, int tag) {
    byte[] b = p.buf;
    int q = p.base + at;
    if (p.length - at < 2 || b[q] != (byte) tag) {
      return -1;
    }
    int len = b[q + 1];
    return len < 0 || len > p.length - at - 2 ? -1 : at + 2 + len;
  }
}
