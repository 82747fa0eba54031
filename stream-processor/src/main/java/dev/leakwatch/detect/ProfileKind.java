package dev.leakwatch.detect;

import java.util.Locale;

/**
 * The kind of Go runtime profile a capture holds, i.e. which {@code net/http/pprof} endpoint produced it.
 *
 * <p>Each kind has its own per-instance series: {@link #HEAP} and {@link #GOROUTINE} are analysed for
 * growth, {@link #GOROUTINE_LEAK} samples are leaks by construction, and {@link #ALLOCS} carries the same
 * records as {@code HEAP} (Go serves one memory profile under two default sample types), so detection
 * ignores it rather than counting the same bytes twice.
 */
public enum ProfileKind {
    HEAP("heap"),
    ALLOCS("allocs"),
    GOROUTINE("goroutine"),
    /** Go's experimental {@code goroutineleak} profile: goroutines the GC proved can never run again. */
    GOROUTINE_LEAK("goroutineleak");

    private final String endpointName;

    ProfileKind(String endpointName) {
        this.endpointName = endpointName;
    }

    /** The pprof endpoint name, e.g. {@code heap} or {@code goroutineleak}. */
    public String endpointName() {
        return endpointName;
    }

    /** The suspect kind this profile kind can raise, or {@code null} for {@link #ALLOCS}. */
    public SuspectKind suspectKind() {
        return switch (this) {
            case HEAP -> SuspectKind.HEAP;
            case GOROUTINE, GOROUTINE_LEAK -> SuspectKind.GOROUTINE;
            case ALLOCS -> null;
        };
    }

    /**
     * Parses an endpoint or enum name, case-insensitively: {@code heap}, {@code allocs}, {@code goroutine},
     * {@code goroutineleak} (also {@code GOROUTINELEAK} and {@code GOROUTINE_LEAK}).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static ProfileKind fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace("_", "");
        for (ProfileKind k : values()) {
            if (k.endpointName.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown profile kind '" + name
                + "' (expected heap, allocs, goroutine or goroutineleak)");
    }
}
