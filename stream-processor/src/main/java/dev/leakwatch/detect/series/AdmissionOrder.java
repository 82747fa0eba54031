package dev.leakwatch.detect.series;

import dev.leakwatch.detect.site.CaptureSnapshot;
import java.util.Arrays;

/**
 * The order in which {@link InstanceSeries} considers a capture's untracked sites for its free or
 * contested slots: those with a positive value, largest first, ties in extraction order (the
 * capture's site order). Admission stops at the first candidate that does not beat the weakest
 * tracked site, so this order is what lets a large new site win a slot before smaller ones.
 *
 * <p>Runs once per capture on a few hundred candidates, so the sort is on primitive keys (value,
 * then position, packed in one long) whenever they fit, and boxed only otherwise. Stateless.
 */
final class AdmissionOrder {
    // positions below 2^20 and values below 2^43 (8 TiB) pack into one sortable long
    private static final int POSITION_BITS = 20;
    private static final int POSITION_MASK = (1 << POSITION_BITS) - 1;

    private AdmissionOrder() {
    }

    /**
     * The positions in {@code snap} of its untracked sites ({@code tracked[i]} false) with a positive
     * value, largest value first, ties by lower position first.
     */
    static int[] largestFirst(CaptureSnapshot snap, boolean[] tracked) {
        int[] candidates = new int[tracked.length];
        int n = 0;
        boolean packable = tracked.length <= POSITION_MASK + 1;
        for (int i = 0; i < tracked.length; i++) {
            long value = snap.site(i).value();
            if (!tracked[i] && value > 0) {
                candidates[n++] = i;
                packable &= value >>> (63 - POSITION_BITS) == 0;
            }
        }
        if (!packable) {
            Integer[] boxed = new Integer[n];
            for (int k = 0; k < n; k++) {
                boxed[k] = candidates[k];
            }
            Arrays.sort(boxed, (a, b) -> Long.compare(snap.site(b).value(), snap.site(a).value()));
            int[] out = new int[n];
            for (int k = 0; k < n; k++) {
                out[k] = boxed[k];
            }
            return out;
        }
        // ascending (value, inverted position), read backwards: largest value first, then lowest position
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) {
            int i = candidates[k];
            keys[k] = snap.site(i).value() << POSITION_BITS | (POSITION_MASK - i);
        }
        Arrays.sort(keys);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = (int) (POSITION_MASK - (keys[n - 1 - k] & POSITION_MASK));
        }
        return out;
    }
}
