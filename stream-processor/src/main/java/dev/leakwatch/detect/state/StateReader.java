package dev.leakwatch.detect.state;

import dev.leakwatch.detect.StateFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link StateWriter} wrote, checking every length and count against the remaining bytes and
 * the caller's limits. Every failure is a {@link StateFormatException} naming the field, the offset and
 * the limit. Not thread-safe.
 */
public final class StateReader {
    private final byte[] data;
    private int pos;

    public StateReader(byte[] data) {
        if (data == null) {
            throw new StateFormatException("state bytes are null", 0);
        }
        this.data = data;
    }

    /** Current offset. */
    public int position() {
        return pos;
    }

    /** Bytes left. */
    public int remaining() {
        return data.length - pos;
    }

    /** Checks a magic prefix and a version byte; returns the version. */
    public int expectHeader(int magic0, int magic1, int minVersion, int maxVersion, String what) {
        if (data.length < 3) {
            throw new StateFormatException(what + ": " + data.length + " bytes is too short for a header", 0);
        }
        if ((data[0] & 0xFF) != magic0 || (data[1] & 0xFF) != magic1) {
            throw new StateFormatException(what + ": bad magic " + Integer.toHexString(data[0] & 0xFF) + " "
                    + Integer.toHexString(data[1] & 0xFF), 0);
        }
        int version = data[2] & 0xFF;
        if (version < minVersion || version > maxVersion) {
            throw new StateFormatException(what + ": unsupported version " + version + " (supported "
                    + minVersion + ".." + maxVersion + ")", 2);
        }
        pos = 3;
        return version;
    }

    public int readByte(String field) {
        if (pos >= data.length) {
            throw new StateFormatException("truncated: " + field + " missing", pos);
        }
        return data[pos++] & 0xFF;
    }

    public long readVarLong(String field) {
        int start = pos;
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= data.length) {
                throw new StateFormatException("truncated varint in " + field, start);
            }
            byte b = data[pos++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new StateFormatException("varint longer than 10 bytes in " + field, start);
    }

    /** Reads a count and checks it against {@code [0, max]}. */
    public int readCount(String field, int max) {
        int start = pos;
        long v = readVarLong(field);
        if (v < 0 || v > max) {
            throw new StateFormatException(field + " " + Long.toUnsignedString(v) + " exceeds limit " + max, start);
        }
        return (int) v;
    }

    public long readSignedVarLong(String field) {
        long v = readVarLong(field);
        return (v >>> 1) ^ -(v & 1);
    }

    public long readFixed64(String field) {
        return readFixed(field, 8);
    }

    /** Reads 4 bytes, big-endian (see {@link StateWriter#writeFixed32}). */
    public int readFixed32(String field) {
        return (int) readFixed(field, 4);
    }

    private long readFixed(String field, int bytes) {
        if (remaining() < bytes) {
            throw new StateFormatException("truncated: " + field + " needs " + bytes + " bytes, " + remaining()
                    + " left", pos);
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (data[pos++] & 0xFF);
        }
        return v;
    }

    public double readDouble(String field) {
        return Double.longBitsToDouble(readFixed64(field));
    }

    /** Reads a string of at most {@code maxBytes} UTF-8 bytes. */
    public String readString(String field, int maxBytes) {
        int len = readLength(field, maxBytes);
        String s = new String(data, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Reads what {@link StateWriter#writeBytes} wrote: at most {@code maxBytes} bytes. */
    public byte[] readBytes(String field, int maxBytes) {
        int len = readLength(field, maxBytes);
        byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + len);
        pos += len;
        return out;
    }

    /** Skips what {@link StateWriter#writeBytes} or {@code writeString} wrote; returns its length. */
    public int skipBytes(String field, int maxBytes) {
        int len = readLength(field, maxBytes);
        pos += len;
        return len;
    }

    private int readLength(String field, int maxBytes) {
        int start = pos;
        int len = readCount(field + " length", maxBytes);
        if (len > remaining()) {
            throw new StateFormatException("truncated: " + field + " declares " + len + " bytes, " + remaining()
                    + " left", start);
        }
        return len;
    }

    public String readNullableString(String field, int maxBytes) {
        int flag = readByte(field + " presence");
        if (flag > 1) {
            throw new StateFormatException("bad presence flag " + flag + " for " + field, pos - 1);
        }
        return flag == 0 ? null : readString(field, maxBytes);
    }

    /** Reads an enum constant by ordinal. */
    public <E extends Enum<E>> E readEnum(Class<E> type, String field) {
        int start = pos;
        E[] all = type.getEnumConstants();
        int ord = readByte(field);
        if (ord >= all.length) {
            throw new StateFormatException(field + ": ordinal " + ord + " outside " + type.getSimpleName()
                    + " (" + all.length + " values)", start);
        }
        return all[ord];
    }

    /** Fails unless every byte was consumed. */
    public void expectEnd(String what) {
        if (pos != data.length) {
            throw new StateFormatException(what + ": " + remaining() + " trailing bytes", pos);
        }
    }
}
