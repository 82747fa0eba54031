package dev.leakwatch.detect.lifecycle;

import java.util.Comparator;
import java.util.List;

/**
 * Holds a service's lifecycle state to the bytes it may be stored as ({@link SuspectTracker#encodeWithin}):
 * instance entries shed first, whole suspects last. Depends only on the state, so a restarted processor
 * goes on alike.
 */
final class StateBound {
    /** Which suspects a state past its bound keeps: open before candidates, then the earliest opened, then by id. */
    private static final Comparator<SuspectState> KEPT_FIRST = Comparator.comparing((SuspectState st) -> !st.open())
            .thenComparingLong(SuspectState::openedAtMs).thenComparing(SuspectState::id);

    private StateBound() {
    }

    /**
     * The state encoded, at most {@code maxBytes} long whenever the instance table alone fits it (see
     * {@link SuspectTracker#encodeWithin}); the whole suspects it had to drop are added to {@code dropped},
     * as they were when dropped (their instance entries already cut to the floor).
     */
    static byte[] encodeWithin(ServiceSuspects s, int maxBytes, List<SuspectState> dropped) {
        byte[] bytes = s.toBytes();
        while (bytes.length > maxBytes) {
            double share = 0.9 * maxBytes / bytes.length;
            int shed = 0;
            for (SuspectState st : s.mutableSuspects().values()) {
                int keep = Math.max(SuspectState.MAX_EVIDENCE_INSTANCES, (int) (st.instances().size() * share));
                shed += st.keepFirstRanked(keep);
            }
            if (shed == 0) {
                if (s.mutableSuspects().isEmpty()) {
                    break; // the instance table alone: held to MAX_INSTANCE_BYTES as instances join
                }
                dropLastRanked(s, bytes.length - maxBytes, dropped); // drops at least one
            }
            bytes = s.toBytes();
        }
        s.storedBytes(bytes.length);
        return bytes;
    }

    /** Drops whole suspects, the last ranked ({@link #KEPT_FIRST}) first, until they took {@code excess} bytes. */
    private static void dropLastRanked(ServiceSuspects s, long excess, List<SuspectState> dropped) {
        List<SuspectState> lastFirst = s.mutableSuspects().values().stream().sorted(KEPT_FIRST.reversed()).toList();
        for (SuspectState st : lastFirst) {
            if (excess <= 0) {
                return;
            }
            excess -= ServiceSuspectsCodec.encodedSize(st);
            s.mutableSuspects().remove(st.id());
            dropped.add(st);
        }
    }
}
