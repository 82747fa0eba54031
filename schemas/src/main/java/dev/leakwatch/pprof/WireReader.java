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
  private String record = "profile";
  private long recordIndex = -1;
  private int field;
  private int tagOffset;

  WireReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.base = off;
    this.in = CodedInputStream.newInstance(buf, off, len);
    try {
      in.pushLimit(len);
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
    return in.getTotalBytesRead();
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

  /** The next tag, or 0 at the end of the current message. */
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
    int end = in.getTotalBytesRead() + Math.max(0, in.getBytesUntilLimit());
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
   * Reads a length prefix and limits reading to that many bytes; returns the token for {@link
   * #popLimit}.
   */
  int pushLength() {
    int start = offset();
    long len = varintAt(start, WHAT_LENGTH);
    int left = in.getBytesUntilLimit();
    if (len < 0 || len > left) {
      throw error(Reason.TRUNCATED_FIELD, start,
          "field " + field + " declares " + Long.toUnsignedString(len) + " bytes but only "
              + left + " remain in its message");
    }
    try {
      return in.pushLimit((int) len);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("length was checked against the limit", e);
    }
  }

  void popLimit(int token) {
    in.popLimit(token);
  }

  /**
   * Reads a length-delimited field as UTF-8 (malformed sequences become U+FFFD, as Java decoding
   * does) after checking its length against {@code maxBytes}.
   */
  String string(int maxBytes) {
    int start = offset();
    int token = pushLength();
    int len = in.getBytesUntilLimit();
    if (len > maxBytes) {
      throw error(Reason.STRING_TOO_LONG, start,
          "string of " + len + " bytes exceeds limit maxStringBytes=" + maxBytes);
    }
    String s = len == 0 ? "" : new String(buf, base + offset(), len, StandardCharsets.UTF_8);
    skipBytes(len);
    popLimit(token);
    return s;
  }

  /** Skips the value of a field this reader does not interpret (unknown or ignored fields). */
  void skip(int tag) {
    switch (tag & 7) {
      case VARINT -> varint();
      case FIXED64 -> skipFixed(8);
      case FIXED32 -> skipFixed(4);
      case LEN -> {
        int token = pushLength();
        skipBytes(in.getBytesUntilLimit());
        popLimit(token);
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
