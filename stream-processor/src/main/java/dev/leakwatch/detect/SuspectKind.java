package dev.leakwatch.detect;

/** What leaks: retained heap bytes or goroutines that never exit. */
public enum SuspectKind {
    HEAP("bytes", "bytes/hour"),
    GOROUTINE("goroutines", "goroutines/hour");

    private final String valueUnit;
    private final String growthUnit;

    SuspectKind(String valueUnit, String growthUnit) {
        this.valueUnit = valueUnit;
        this.growthUnit = growthUnit;
    }

    /** Unit of a site's value: {@code bytes} (in-use heap) or {@code goroutines} (count). */
    public String valueUnit() {
        return valueUnit;
    }

    /** Unit of a growth rate: {@code bytes/hour} or {@code goroutines/hour}. */
    public String growthUnit() {
        return growthUnit;
    }
}
