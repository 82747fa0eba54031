package dev.leakwatch.detect;

/**
 * What a group of goroutines is blocked on, read from the runtime frames at the top of their stack.
 * {@link #label()} is the text carried in events ({@code waitReason}).
 */
public enum WaitReason {
    CHAN_SEND("chan send"),
    CHAN_RECEIVE("chan receive"),
    SELECT("select"),
    LOCK("lock"),
    IO("io"),
    SLEEP("sleep"),
    OTHER("other");

    private final String label;

    WaitReason(String label) {
        this.label = label;
    }

    /** Human-readable name, e.g. {@code chan send}. */
    public String label() {
        return label;
    }
}
