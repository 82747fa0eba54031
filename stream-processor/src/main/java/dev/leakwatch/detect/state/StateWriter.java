package dev.leakwatch.detect.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends the primitives of Leakwatch's compact state formats: LEB128 varints, zigzag varints for signed
 * values, IEEE doubles (8 bytes, big-endian) and length-prefixed UTF-8 strings. Not thread-safe.
 */
public final class StateWriter {
    // an own buffer rather than ByteArrayOutputStream: its synchronized write(int) per byte
    // showed up as the top item when profiling the topology
    private byte[] buf;
    private int size;

    /** A writer for a value of unknown size. */
    public StateWriter() {
        this(256);
    }

    /**
     * A writer whose buffer starts at {@code expectedBytes} (it still grows past them): values of a few
     * hundred entries otherwise double their buffer half a dozen times on the way.
     */
    public StateWriter(int expectedBytes) {
        this.buf = new byte[Math.max(16, expectedBytes)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /** Writes a raw byte (magic numbers, versions, flags). */
    public StateWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** Writes an unsigned varint; {@code v} is treated as unsigned 64-bit. */
    public StateWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    /** Writes what {@code other} holds so far, as it is, without a length: a part encoded separately. */
    public StateWriter writeRaw(StateWriter other) {
        ensure(other.size);
        System.arraycopy(other.buf, 0, buf, size, other.size);
        size += other.size;
        return this;
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code offset} as they are, without a length. */
    public StateWriter writeRaw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /** Writes a varint length, then {@code bytes} as they are. */
    public StateWriter writeBytes(byte[] bytes) {
        writeVarInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    /** Writes a non-negative int as a varint. */
    public StateWriter writeVarInt(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative count " + v);
        }
        return writeVarLong(v);
    }

    /** Writes a signed value as a zigzag varint (small magnitudes take few bytes). */
    public StateWriter writeSignedVarLong(long v) {
        return writeVarLong((v << 1) ^ (v >> 63));
    }

    /** Writes 8 bytes, big-endian IEEE 754. */
    public StateWriter writeDouble(double d) {
        return writeFixed64(Double.doubleToLongBits(d));
    }

    /** Writes 8 bytes, big-endian. */
    public StateWriter writeFixed64(long bits) {
        return writeFixed(bits, 8);
    }

    /** Writes 4 bytes, big-endian: a value whose encoded length must not change with it (in-place rewrites). */
    public StateWriter writeFixed32(int bits) {
        return writeFixed(bits, 4);
    }

    private StateWriter writeFixed(long bits, int bytes) {
        ensure(bytes);
        for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
            buf[size++] = (byte) (bits >>> shift);
        }
        return this;
    }

    /** Writes a length-prefixed UTF-8 string; null is not allowed (see {@link #writeNullableString}). */
    public StateWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a presence flag and, when present, the string. */
    public StateWriter writeNullableString(String s) {
        writeByte(s == null ? 0 : 1);
        return s == null ? this : writeString(s);
    }

    /** Number of bytes written so far. */
    public int position() {
        return size;
    }

    /**
     * Replaces the bytes at {@code [at, at + part.position())}, written earlier, with what {@code part}
     * holds (a field re-encoded to the same length).
     */
    public StateWriter overwrite(int at, StateWriter part) {
        if (at < 0 || at + part.size > size) {
            throw new IndexOutOfBoundsException("overwrite of " + part.size + " bytes at " + at + " of " + size);
        }
        System.arraycopy(part.buf, 0, buf, at, part.size);
        return this;
    }

    /** The bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
