package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.DetectionPolicy;
import java.util.function.Supplier;

/**
 * The {@link InstanceDetector} of the policy in force: a detector is built once per policy (its analyzers
 * are per configuration) and replaced when {@code policies} hands out another one, so a swapped policy
 * judges the next capture without rebuilding anything per capture.
 *
 * <p>Thread-safe: a race between two callers after a swap at worst builds the new detector twice.
 */
public final class LiveDetector implements Supplier<InstanceDetector> {
    private final Supplier<DetectionPolicy> policies;
    private volatile InstanceDetector current;

    public LiveDetector(Supplier<DetectionPolicy> policies) {
        this.policies = policies;
        this.current = new InstanceDetector(policies.get());
    }

    /** The detector judging by the policy in force now. */
    @Override
    public InstanceDetector get() {
        DetectionPolicy p = policies.get();
        InstanceDetector d = current;
        if (d.policy() != p) {
            d = new InstanceDetector(p);
            current = d;
        }
        return d;
    }
}
