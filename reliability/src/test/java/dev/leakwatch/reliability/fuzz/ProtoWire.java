package dev.leakwatch.reliability.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the protobuf wire format (public spec: tag = field number << 3 | wire type;
 * varint, 64-bit, length-delimited, 32-bit) to take a message apart into fields and write it back,
 * so mutations can work on fields and nested messages and still produce well-framed bytes.
 * Independent of the decoder under test.
 */
final class ProtoWire {

  static final int VARINT = 0;
  static final int I64 = 1;
  static final int LEN = 2;
  static final int I32 = 5;

  private ProtoWire() {}

  /**
   * One field as it appears on the wire.
   *
   * @param number field number
   * @param wireType wire type of the tag
   * @param varint the value of a {@link #VARINT} field
   * @param payload the bytes of a {@link #LEN}, {@link #I64} or {@link #I32} field
   * @param raw when non-null, written verbatim instead of tag and value (a deliberately broken field)
   */
  record Field(int number, int wireType, long varint, byte[] payload, byte[] raw) {

    static Field ofVarint(int number, long value) {
      return new Field(number, VARINT, value, null, null);
    }

    static Field ofBytes(int number, byte[] payload) {
      return new Field(number, LEN, 0, payload, null);
    }

    static Field raw(byte[] bytes) {
      return new Field(0, -1, 0, null, bytes);
    }

    Field withVarint(long value) {
      return new Field(number, VARINT, value, null, null);
    }

    Field withPayload(byte[] bytes) {
      return new Field(number, wireType, 0, bytes, null);
    }

    /** The field's encoding: tag then value (or the raw bytes). */
    byte[] encode() {
      if (raw != null) {
        return raw;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writeVarint(out, ((long) number << 3) | wireType);
      switch (wireType) {
        case VARINT -> writeVarint(out, varint);
        case LEN -> {
          writeVarint(out, payload.length);
          out.writeBytes(payload);
        }
        default -> out.writeBytes(payload);
      }
      return out.toByteArray();
    }
  }

  /** The fields of a well-formed message, or null when {@code msg} is not one (or is empty). */
  static List<Field> parse(byte[] msg) {
    List<Field> fields = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < msg.length) {
      Long tag = readVarint(msg, pos);
      if (tag == null || (tag >>> 3) == 0 || (tag >>> 3) > Integer.MAX_VALUE) {
        return null;
      }
      int number = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      switch (type) {
        case VARINT -> {
          Long v = readVarint(msg, pos);
          if (v == null) {
            return null;
          }
          fields.add(Field.ofVarint(number, v));
        }
        case LEN -> {
          Long n = readVarint(msg, pos);
          if (n == null || n < 0 || n > msg.length - pos[0]) {
            return null;
          }
          fields.add(new Field(number, LEN, 0, slice(msg, pos[0], (int) (long) n), null));
          pos[0] += (int) (long) n;
        }
        case I64, I32 -> {
          int n = type == I64 ? 8 : 4;
          if (msg.length - pos[0] < n) {
            return null;
          }
          fields.add(new Field(number, type, 0, slice(msg, pos[0], n), null));
          pos[0] += n;
        }
        default -> {
          return null;
        }
      }
    }
    return fields.isEmpty() ? null : fields;
  }

  /** The values of a packed repeated varint payload, or null when it is not one. */
  static List<Long> parsePacked(byte[] payload) {
    List<Long> values = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < payload.length) {
      Long v = readVarint(payload, pos);
      if (v == null) {
        return null;
      }
      values.add(v);
    }
    return values;
  }

  static byte[] packed(List<Long> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    values.forEach(v -> writeVarint(out, v));
    return out.toByteArray();
  }

  static byte[] write(List<Field> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach(f -> out.writeBytes(f.encode()));
    return out.toByteArray();
  }

  static byte[] varint(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, v);
    return out.toByteArray();
  }

  static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Reads a varint at {@code pos[0]}, advancing it; null if truncated or longer than 10 bytes. */
  private static Long readVarint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos[0] >= b.length) {
        return null;
      }
      int x = b[pos[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    return null;
  }

  private static byte[] slice(byte[] b, int from, int length) {
    byte[] out = new byte[length];
    System.arraycopy(b, from, out, 0, length);
    return out;
  }
}
