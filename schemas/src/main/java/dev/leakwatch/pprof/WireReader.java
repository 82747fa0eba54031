package dev.leakwatch.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.leakwatch.pprof.ProfileDecodeException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Field-by-field protobuf reading over one byte array with {@link CodedInputStream}, turning every
 * wire problem into a {@link ProfileDecodeException} that names the record being read, the field
 * and the byte offset.
 *
 * <p>Offsets are relative to the start of the protobuf (after decompression). The caller names the
 * record it is inside with {@link #enter}; that costs two field writes, so messages stay precise
 * without building strings on the hot path.
 */
final class WireReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final CodedInputStream in;
  private final byte[] buf;
  private final int base;
  private final int shift;
  private String record = "profile";
  private long recordIndex = -1;
  private int field;
  private int tagOffset;

  /** Reads the protobuf in {@code buf[off, off + len)}. */
  WireReader(byte[] buf, int off, int len) {
    this(buf, off, off, off + len);
  }

  /**
   * Reads only {@code buf[from, to)} of the protobuf that starts at {@code buf[protoStart]} (one
   * record of it, for a second pass); offsets stay relative to the protobuf's start.
   */
  WireReader(byte[] buf, int protoStart, int from, int to) {
    this.buf = buf;
    this.base = protoStart;
    this.shift = from - protoStart;
    this.in = CodedInputStream.newInstance(buf, from, to - from);
    try {
      in.pushLimit(to - from);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a limit equal to the input length always fits", e);
    }
  }

  /** Names the record being read for error messages, e.g. ("sample", 12); index -1 for none. */
  void enter(String name, long index) {
    record = name;
    recordIndex = index;
  }

  /** Current offset in the protobuf. */
  int offset() {
    return in.getTotalBytesRead() + shift;
  }

  /** Offset of the last tag read: where the current field starts. */
  int tagOffset() {
    return tagOffset;
  }

  boolean atEnd() {
    try {
      return in.isAtEnd();
    } catch (IOException e) {
      throw new IllegalStateException("array input cannot fail", e);
    }
  }

  /** The next tag, or 0 at the end of the input. */
  int tag() {
    if (atEnd()) {
      return 0;
    }
    int start = offset();
    tagOffset = start;
    int tag = (int) varintAt(start, WHAT_TAG);
    field = tag >>> 3;
    int wire = tag & 7;
    if (field == 0 || wire == 3 || wire == 4 || wire > 5) {
      throw error(Reason.BAD_WIRE_TYPE, start,
          "invalid tag (field " + field + ", wire type " + wire + ")");
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

  /** A repeated varint field, packed (what Go writes) or one element per tag, into {@code sink}. */
  void repeatedVarints(int tag, LongList sink) {
    if ((tag & 7) == LEN) {
      packedVarints(sink);
    } else {
      sink.add(scalar(tag));
    }
  }

  /** Skips to {@code end}, the end of a length-delimited field found by {@link #beginLength}. */
  void skipTo(int end) {
    skipBytes(end - offset());
  }

  /** Reads a varint field value. */
  long varint() {
    return varintAt(offset(), WHAT_VALUE);
  }

  private static final int WHAT_TAG = 0;
  private static final int WHAT_VALUE = 1;
  private static final int WHAT_LENGTH = 2;

  private long varintAt(int start, int what) {
    long v;
    try {
      v = in.readRawVarint64();
    } catch (InvalidProtocolBufferException e) {
      throw varintError(start, what);
    } catch (IOException e) {
      throw new IllegalStateException("array input cannot fail", e);
    }
    // CodedInputStream stops after 10 bytes even if the 10th says more follow; the format (and
    // Go's decoder) reject that.
    if (offset() - start == 10 && buf[base + start + 9] < 0) {
      throw varintError(start, what);
    }
    return v;
  }

  private ProfileDecodeException varintError(int start, int kind) {
    String what = switch (kind) {
      case WHAT_TAG -> "tag";
      case WHAT_LENGTH -> "length of field " + field;
      default -> "field " + field;
    };
    int end = offset() + Math.max(0, in.getBytesUntilLimit());
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
   * Reads a length prefix and returns the offset where the field's content ends. Nested messages
   * are bounded by checking that offset with {@link #more} rather than by pushing stream limits:
   * CodedInputStream decodes varints byte by byte near a limit, which would slow every packed
   * field down; reading can still never pass the end of the input.
   */
  int beginLength() {
    int start = offset();
    long len = varintAt(start, WHAT_LENGTH);
    int left = in.getBytesUntilLimit();
    if (len < 0 || len > left) {
      throw error(Reason.TRUNCATED_FIELD, start,
          "field " + field + " declares " + Long.toUnsignedString(len) + " bytes but only "
              + left + " remain in the input");
    }
    return offset() + (int) len;
  }

  /**
   * Reads a packed repeated varint field (length prefix, then varints) into {@code sink}; returns
   * how many were added. The elements are decoded in one tight loop over the array, the way
   * CodedInputStream decodes packed fields internally, and the stream then skips past them.
   */
  private int packedVarints(LongList sink) {
    int end = beginLength();
    int start = offset();
    int p = base + start;
    int e = base + end;
    int added = 0;
    while (p < e) {
      int at = p;
      long v = 0;
      int shift = 0;
      byte b;
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
      sink.add(v);
      added++;
    }
    skipBytes(end - start);
    return added;
  }

  /**
   * True while the current message, ending at {@code end}, has more bytes; fails if the last field
   * read ran past that end.
   */
  boolean more(int end) {
    int pos = offset();
    if (pos < end) {
      return true;
    }
    if (pos == end) {
      return false;
    }
    throw error(Reason.TRUNCATED_FIELD, end,
        "field " + field + " runs " + (pos - end) + " bytes past the end of its message");
  }

  /**
   * Reads a length-delimited field as UTF-8 (malformed sequences become U+FFFD, as Java decoding
   * does) after checking its length against {@code maxBytes}.
   */
  String string(int maxBytes) {
    int start = offset();
    int len = beginLength() - offset();
    if (len > maxBytes) {
      throw error(Reason.STRING_TOO_LONG, start,
          "string of " + len + " bytes exceeds limit maxStringBytes=" + maxBytes);
    }
    String s = len == 0 ? "" : new String(buf, base + offset(), len, StandardCharsets.UTF_8);
    skipBytes(len);
    return s;
  }

  /** Skips the value of a field this reader does not interpret (unknown or ignored fields). */
  void skip(int tag) {
    switch (tag & 7) {
      case VARINT -> varint();
      case FIXED64 -> skipFixed(8);
      case FIXED32 -> skipFixed(4);
      case LEN -> {
        int end = beginLength();
        skipBytes(end - offset());
      }
      default -> throw error(Reason.BAD_WIRE_TYPE, offset(),
          "field " + field + " has unsupported wire type " + (tag & 7));
    }
  }

  private void skipFixed(int n) {
    if (in.getBytesUntilLimit() < n) {
      throw error(Reason.TRUNCATED_FIELD, offset(),
          "fixed-size field " + field + " needs " + n + " bytes but only "
              + in.getBytesUntilLimit() + " remain in its message");
    }
    skipBytes(n);
  }

  private void skipBytes(int n) {
    try {
      in.skipRawBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException("skip was checked against the limit", e);
    }
  }

  /** An error located at {@code offset} inside the current record. */
  ProfileDecodeException error(Reason reason, long offset, String what) {
    return ProfileDecodeException.at(reason, record, recordIndex, offset, what);
  }
}
