package dev.leakwatch.detect;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The {@link DetectionPolicy} in force, which its owner may replace while captures are being judged: the
 * processor swaps in the rules it re-reads from its configuration file. A replacement is atomic; every
 * {@link #get()} after it returns the new policy, so a capture is judged wholly by one policy or the other.
 *
 * <p>Thread-safe. Configurations built from the same holder see the same swaps. Two holders are equal when
 * the policies they hold now are (so configurations compare by what judges now); being mutable, a holder
 * must not key a hash map.
 */
public final class LivePolicy implements Supplier<DetectionPolicy> {
    private final AtomicReference<DetectionPolicy> current;

    public LivePolicy(DetectionPolicy initial) {
        current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /** The policy in force now. */
    @Override
    public DetectionPolicy get() {
        return current.get();
    }

    /** Puts {@code next} in force for every later {@link #get()}; returns the policy it replaces. */
    public DetectionPolicy replace(DetectionPolicy next) {
        return current.getAndSet(Objects.requireNonNull(next, "next"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LivePolicy p && p.get().equals(get());
    }

    @Override
    public int hashCode() {
        return get().hashCode();
    }

    @Override
    public String toString() {
        return "LivePolicy[" + current.get() + "]";
    }
}
