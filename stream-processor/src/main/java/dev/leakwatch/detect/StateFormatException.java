package dev.leakwatch.detect;

/**
 * Serialized detection state (a series, a report or a lifecycle record) could not be read: wrong magic,
 * unsupported version, truncated bytes or a value beyond a bound. The message names what, where (byte
 * offset) and which limit.
 */
public class StateFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public StateFormatException(String message, int offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset in the serialized form where the problem was found. */
    public int offset() {
        return offset;
    }
}
