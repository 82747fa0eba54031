package dev.leakwatch.detect.lifecycle;

import java.util.Comparator;
import java.util.List;

/**
 * Holds a service's lifecycle state to the bytes it may be stored as ({@link #encodeWithin}):
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
     * The service's state as stored, at most {@code maxBytes} long when it can be: a suspect keeps an
     * entry for every instance it grew on (about 70 bytes each), so a leak at many sites across tens of
     * thousands of instances of one service outgrows the changelog record the state is written as (10
     * suspects on each of 20,000 instances: 15 MB). Past {@code maxBytes}, every suspect keeps the share
     * of its entries that fits, the first ranked ({@link SuspectState#keepFirstRanked}: growing, steepest),
     * never fewer than {@link SuspectState#MAX_EVIDENCE_INSTANCES}; the dropped instances are no longer
     * listed by the suspect, and come back if they report growth again. If the state still passes {@code
     * maxBytes} with every suspect at that floor (suspects admitted when there was room whose sites, entries
     * or evidence grew since: long instance names, a site's stack re-reported with longer names), whole
     * suspects are dropped, the last ranked first (candidates, then the latest opened, then by id): {@link
     * SuspectTracker#store} ends their episodes. Depends only on the state, so a restarted processor goes on alike.
     *
     * @param dropped receives the whole suspects dropped, as they were when dropped (their instance
     *     entries already cut to the floor)
     * @return the encoded state, at most {@code maxBytes} long whenever the instance table alone fits it
     *     (it is held to {@link ServiceSuspects#MAX_INSTANCE_BYTES}, within {@link
     *     ServiceSuspects#MAX_STORED_BYTES})
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
