package dev.leakwatch.pprof;

import dev.leakwatch.pprof.ProfileDecodeException.Reason;

/**
 * Field-by-field protobuf reading straight from one byte array, turning every wire problem into a
 * {@link ProfileDecodeException} that names the record being read, the field and the byte offset.
 *
 * <p>Offsets are relative to the start of the protobuf (after decompression). The caller names the
 * record it is inside with {@link #enter}; that costs two field writes, so messages stay precise
 * without building strings on the hot path.
 *
 * <p>Every read is bounded by the end of the input; nested messages are bounded by checking their
 * end offset with {@link #more}. Varints follow the format: at most 10 bytes, bits beyond 64
 * dropped. The common one-byte varint is decoded inline; longer ones take a loop that also tells
 * a truncated varint from an overlong one.
 */
final class WireReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private static final int WHAT_TAG = 0;
  private static final int WHAT_VALUE = 1;
  private static final int WHAT_LENGTH = 2;
  private static final int PACKED_CHUNK = 4096;

  private final byte[] buf;
  // absolute index in buf of protobuf offset 0, and of the end of the readable bytes
  private final int base;
  private final int limit;
  // absolute index of the next byte to read
  private int pos;
  private String record = "profile";
  private long recordIndex = -1;
  private int field;
  private int tagOffset;

  /** Reads the protobuf in {@code buf[off, off + len)}. */
  WireReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.base = off;
    this.limit = off + len;
    this.pos = off;
  }

  /** Names the record being read for error messages, e.g. ("sample", 12); index -1 for none. */
  void enter(String name, long index) {
    record = name;
    recordIndex = index;
  }

  /** Current offset in the protobuf. */
  int offset() {
    return pos - base;
  }

  /** Offset of the last tag read: where the current field starts. */
  int tagOffset() {
    return tagOffset;
  }

  boolean atEnd() {
    return pos >= limit;
  }

  /** The next tag, or 0 at the end of the input. */
  int tag() {
    int p = pos;
    if (p >= limit) {
      return 0;
    }
    tagOffset = p - base;
    int tag = buf[p];
    if (tag >= 0) {
      pos = p + 1;
    } else {
      tag = (int) varintSlow(WHAT_TAG);
    }
    int f = tag >>> 3;
    field = f;
    int wire = tag & 7;
    if (f == 0 || wire == 3 || wire == 4 || wire > 5) {
      throw error(Reason.BAD_WIRE_TYPE, tagOffset,
          "invalid tag (field " + f + ", wire type " + wire + ")");
    }
    return tag;
  }

  /** Fails unless {@code tag} carries {@code wireType}. */
  void expect(int tag, int wireType) {
    if ((tag & 7) != wireType) {
      throw error(Reason.BAD_WIRE_TYPE, offset(),
          "field " + field + " has wire type " + (tag & 7) + ", expected " + wireType);
    }
  }

  /** A varint field's value, after checking the tag's wire type. */
  long scalar(int tag) {
    expect(tag, VARINT);
    return varint();
  }

  /** Moves forward to {@code end}, the end of a field found by {@link #beginLength}. */
  void skipTo(int end) {
    int to = base + end;
    if (to < pos || to > limit) {
      throw new IllegalStateException("skip to " + end + " outside [" + offset() + ", "
          + (limit - base) + "]");
    }
    pos = to;
  }

  /** Reads a varint field value. */
  long varint() {
    int p = pos;
    if (p < limit) {
      byte b = buf[p];
      if (b >= 0) {
        pos = p + 1;
        return b;
      }
    }
    return varintSlow(WHAT_VALUE);
  }

  /** A varint of any length from {@code pos}; {@code what} names it in errors. */
  private long varintSlow(int what) {
    int start = pos;
    int p = start;
    long v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p >= limit) {
        throw varintError(start - base, what);
      }
      byte b = buf[p++];
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        pos = p;
        return v;
      }
    }
    throw varintError(start - base, what);
  }

  private ProfileDecodeException varintError(int start, int kind) {
    String what = switch (kind) {
      case WHAT_TAG -> "tag";
      case WHAT_LENGTH -> "length of field " + field;
      default -> "field " + field;
    };
    int end = limit - base;
    int n = 0;
    while (start + n < end && n < 10 && (buf[base + start + n] & 0x80) != 0) {
      n++;
    }
    if (n == 10) {
      return error(Reason.BAD_VARINT, start, "varint of " + what + " is longer than 10 bytes");
    }
    return error(Reason.TRUNCATED_VARINT, start,
        "varint of " + what + " runs past the end of its message (" + (end - start)
            + " bytes left)");
  }

  /**
   * Reads a length prefix and returns the offset where the field's content ends, after checking
   * that the input holds that many bytes. The caller bounds the nested message with {@link #more}.
   */
  int beginLength() {
    int p = pos;
    long len;
    if (p < limit && buf[p] >= 0) {
      len = buf[p];
      pos = p + 1;
    } else {
      len = varintSlow(WHAT_LENGTH);
    }
    int left = limit - pos;
    if (len < 0 || len > left) {
      throw error(Reason.TRUNCATED_FIELD, p - base,
          "field " + field + " declares " + Long.toUnsignedString(len) + " bytes but only "
              + left + " remain in the input");
    }
    return pos - base + (int) len;
  }

  /**
   * A repeated varint field, packed (what Go writes) or one element per tag, into {@code sink} while
   * it holds fewer than {@code keep}; the rest are read (wire problems still surface) and counted,
   * not stored, so a field bound to fail a count check costs no memory per element. Returns the
   * field's element count.
   */
  int repeatedVarints(int tag, LongList sink, int keep) {
    return repeatedVarints(tag, sink, keep, null, null);
  }

  /**
   * Like {@link #repeatedVarints(int, LongList, int)}, but with a non-null {@code reason} an element
   * beyond {@code max} fails the field with it and the message {@code breach}, before room is
   * reserved for it: a field with no count limit of its own could otherwise turn each input byte
   * into an eight-byte element.
   */
  int repeatedVarints(int tag, LongList sink, int max, Reason reason, String breach) {
    if ((tag & 7) == LEN) {
      return packedVarints(sink, max, reason, breach);
    }
    long v = scalar(tag);
    if (sink.size() < max) {
      sink.add(v);
    } else if (reason != null) {
      throw error(reason, tagOffset, breach);
    }
    return 1;
  }

  /**
   * A packed field (length prefix, then varints) as {@link #repeatedVarints(int, LongList, int,
   * Reason, String)} describes; the stored elements are decoded in one tight loop over the array.
   */
  private int packedVarints(LongList sink, int max, Reason reason, String breach) {
    int fieldAt = tagOffset;
    int e = base + beginLength();
    int p = pos;
    int start = sink.size();
    int n = start;
    while (p < e) {
      if (n >= max) {
        if (reason != null) {
          throw error(reason, fieldAt, breach);
        }
        return n - start + countVarints(p, e);
      }
      // Every element takes at least one byte, so a chunk of k bytes never yields more than k
      // elements; chunks keep a hostile field from reserving more than it has proved to hold.
      int room = Math.min(Math.min(e - p, PACKED_CHUNK), max - n);
      long[] out = sink.reserve(room);
      int stop = n + room;
      while (p < e && n < stop) {
        byte b = buf[p++];
        if (b >= 0) {
          out[n++] = b;
          continue;
        }
        int at = p - 1;
        long v = b & 0x7f;
        int shift = 7;
        do {
          if (p == e) {
            throw error(Reason.TRUNCATED_VARINT, at - base,
                "varint of field " + field + " runs past the end of its packed field");
          }
          b = buf[p++];
          v |= (long) (b & 0x7f) << shift;
          shift += 7;
        } while (b < 0 && shift < 70);
        if (b < 0) {
          throw error(Reason.BAD_VARINT, at - base,
              "varint of field " + field + " is longer than 10 bytes");
        }
        out[n++] = v;
      }
      sink.setSize(n);
    }
    pos = e;
    return n - start;
  }

  /** Counts the varints at absolute {@code [p, e)}, checking each; leaves the reader at e. */
  private int countVarints(int p, int e) {
    int count = 0;
    for (pos = p; pos < e; count++) {
      int at = pos - base;
      varint();
      if (pos > e) {
        throw error(Reason.TRUNCATED_VARINT, at,
            "varint of field " + field + " runs past the end of its packed field");
      }
    }
    return count;
  }

  /**
   * True while the current message, ending at {@code end}, has more bytes; fails if the last field
   * read ran past that end.
   */
  boolean more(int end) {
    int at = pos - base;
    if (at < end) {
      return true;
    }
    if (at == end) {
      return false;
    }
    throw error(Reason.TRUNCATED_FIELD, end,
        "field " + field + " runs " + (at - end) + " bytes past the end of its message");
  }

  /**
   * Reads the length of a length-delimited string field and checks it against {@code maxBytes},
   * leaving the reader at the start of its content; returns the offset where the content ends.
   */
  int beginString(int maxBytes) {
    int start = offset();
    int end = beginLength();
    int len = end - offset();
    if (len > maxBytes) {
      throw error(Reason.STRING_TOO_LONG, start,
          "string of " + len + " bytes exceeds limit maxStringBytes=" + maxBytes);
    }
    return end;
  }

  /** Skips the value of a field this reader does not interpret (unknown or ignored fields). */
  void skip(int tag) {
    switch (tag & 7) {
      case VARINT -> varint();
      case FIXED64 -> skipFixed(8);
      case FIXED32 -> skipFixed(4);
      case LEN -> pos = base + beginLength();
      default -> throw error(Reason.BAD_WIRE_TYPE, offset(),
          "field " + field + " has unsupported wire type " + (tag & 7));
    }
  }

  private void skipFixed(int n) {
    if (limit - pos < n) {
      throw error(Reason.TRUNCATED_FIELD, offset(),
          "fixed-size field " + field + " needs " + n + " bytes but only "
              + (limit - pos) + " remain in its message");
    }
    pos += n;
  }

  /** An error located at {@code offset} inside the current record. */
  ProfileDecodeException error(Reason reason, long offset, String what) {
    return ProfileDecodeException.at(reason, record, recordIndex, offset, what);
  }
}
