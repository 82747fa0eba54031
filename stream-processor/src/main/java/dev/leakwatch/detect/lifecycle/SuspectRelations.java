package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.site.FrameRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which open suspects of a service are probably one bug seen from both sides: leaked goroutines, and the
 * heap they hold. A goroutine that never ends keeps alive what it references — its channel, its buffers,
 * the request it served — so one goroutine leak usually raises heap suspects too, each its own alert.
 *
 * <p>A heap suspect and a goroutine suspect are related when both grow on at least one same instance and
 * their code meets:
 * <ul>
 *   <li>their blamed frames belong to one unit of code ({@link FrameRules#codeUnit}: methods of one
 *       receiver type, or one function): a handler that allocates a channel and the method it starts, which
 *       blocks sending on it;</li>
 *   <li>or one's blamed function ({@link FrameRules#enclosingFunction}) is on the other's stack: the
 *       heap was allocated inside the function the goroutines are stuck in, or below it;</li>
 *   <li>or the heap is goroutine structures ({@value #GOROUTINE_STRUCTURES} on its stack): every goroutine
 *       that never ends keeps its own. Go allocates them on the system stack, so their heap stacks end in
 *       the runtime and never name the code that started the goroutines.</li>
 * </ul>
 * Otherwise runtime machinery frames ({@link FrameRules#isMachinery}) never count. This is an approximation that errs
 * towards relating: two independent leaks in methods of one type are related too. A relation only groups
 * suspects; it never suppresses one.
 *
 * <p>Stateless and thread-safe.
 */
final class SuspectRelations {
    /** The runtime function that allocates a goroutine's structure ({@code g}). */
    static final String GOROUTINE_STRUCTURES = "runtime.malg";

    private SuspectRelations() {
    }

    /**
     * The ids of the open suspects of the other kind related to {@code st}, sorted.
     *
     * @param instances   the instances {@code st}'s event lists
     * @param staleBefore an instance's growth counts when its last growing report is later than this
     * @param gone        instances gone at the event's time; never count
     */
    static List<String> of(ServiceSuspects s, SuspectState st, Collection<String> instances, long staleBefore,
            Set<String> gone) {
        List<String> related = new ArrayList<>();
        for (SuspectState other : s.suspects().values()) { // sorted by id
            if (other.site().kind() == st.site().kind() || !other.open()
                    || !growsOnAny(other, instances, staleBefore, gone) || !codeMeets(st.site(), other.site())) {
                continue;
            }
            related.add(other.id());
        }
        return related;
    }

    private static boolean growsOnAny(SuspectState other, Collection<String> instances, long staleBefore,
            Set<String> gone) {
        Map<String, InstanceGrowth> entries = other.instances();
        for (String instance : instances) {
            InstanceGrowth g = entries.get(instance);
            if (g != null && SuspectEvents.current(g, staleBefore) && !gone.contains(instance)) {
                return true;
            }
        }
        return false;
    }

    /** Whether two sites' code meets, as the class comment says. Symmetric. */
    static boolean codeMeets(Site a, Site b) {
        if (a.kind() != b.kind() && (holdsGoroutineStructures(a) || holdsGoroutineStructures(b))) {
            return true;
        }
        String blamedA = a.frame().function();
        String blamedB = b.frame().function();
        if (FrameRules.isMachinery(blamedA) || FrameRules.isMachinery(blamedB)) {
            return false; // a stack of machinery only names no code of the program
        }
        return FrameRules.codeUnit(blamedA).equals(FrameRules.codeUnit(blamedB))
                || functionsOf(b).contains(FrameRules.enclosingFunction(blamedA))
                || functionsOf(a).contains(FrameRules.enclosingFunction(blamedB));
    }

    private static boolean holdsGoroutineStructures(Site site) {
        return site.kind() == SuspectKind.HEAP
                && site.stack().stream().anyMatch(f -> f.function().equals(GOROUTINE_STRUCTURES));
    }

    private static Set<String> functionsOf(Site site) {
        Set<String> functions = new HashSet<>();
        for (SiteFrame f : site.stack()) {
            if (!FrameRules.isMachinery(f.function())) {
                functions.add(FrameRules.enclosingFunction(f.function()));
            }
        }
        return functions;
    }
}
