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
     * What relating reads of one site, derived once per {@link SuspectState} object ({@link
     * SuspectState#footprint()}): every event compares its suspect with all the service's others, so
     * deriving it per pair made an event of a service with 1,000 suspects cost tens of milliseconds.
     *
     * @param kind                the site's kind
     * @param goroutineStructures a heap site with {@value #GOROUTINE_STRUCTURES} on its stack
     * @param blamedIsMachinery   the blamed frame is runtime machinery: it names no code of the program
     * @param unit                the blamed frame's {@link FrameRules#codeUnit}
     * @param enclosing           the blamed frame's {@link FrameRules#enclosingFunction}
     * @param functions           the enclosing functions of the stack's frames that are not machinery
     */
    record Footprint(SuspectKind kind, boolean goroutineStructures, boolean blamedIsMachinery, String unit,
            String enclosing, Set<String> functions) {
        static Footprint of(Site site) {
            Set<String> functions = new HashSet<>();
            boolean structures = false;
            for (SiteFrame f : site.stack()) {
                structures |= f.function().equals(GOROUTINE_STRUCTURES);
                if (!FrameRules.isMachinery(f.function())) {
                    functions.add(FrameRules.enclosingFunction(f.function()));
                }
            }
            String blamed = site.frame().function();
            return new Footprint(site.kind(), site.kind() == SuspectKind.HEAP && structures,
                    FrameRules.isMachinery(blamed), FrameRules.codeUnit(blamed), FrameRules.enclosingFunction(blamed),
                    Set.copyOf(functions));
        }
    }

    /**
     * The ids of the open suspects of the other kind related to {@code st}, sorted.
     *
     * @param instances the instances {@code st}'s event lists
     * @param times     the service's instances as judged at the event: growth counts where {@link
     *                  InstanceTimes#growing} says so
     */
    static List<String> of(ServiceSuspects s, SuspectState st, Collection<String> instances, InstanceTimes times) {
        List<String> related = new ArrayList<>();
        if (instances.isEmpty()) {
            return related;
        }
        Set<String> shared = Set.copyOf(instances);
        for (SuspectState other : s.suspects().values()) { // sorted by id
            if (other.site().kind() == st.site().kind() || !other.open()
                    || !growsOnAny(other, shared, times) || !meets(st.footprint(), other.footprint())) {
                continue;
            }
            related.add(other.id());
        }
        return related;
    }

    /** Whether {@code other} grows on one of {@code instances}; walks the smaller of the two. */
    private static boolean growsOnAny(SuspectState other, Set<String> instances, InstanceTimes times) {
        Map<String, InstanceGrowth> entries = other.instances();
        if (entries.size() <= instances.size()) {
            for (Map.Entry<String, InstanceGrowth> e : entries.entrySet()) {
                if (instances.contains(e.getKey()) && times.growing(e.getKey(), e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        for (String instance : instances) {
            if (times.growing(instance, entries.get(instance))) {
                return true;
            }
        }
        return false;
    }

    /** Whether two sites' code meets, as the class comment says. Symmetric. */
    static boolean codeMeets(Site a, Site b) {
        return meets(Footprint.of(a), Footprint.of(b));
    }

    private static boolean meets(Footprint a, Footprint b) {
        if (a.kind() != b.kind() && (a.goroutineStructures() || b.goroutineStructures())) {
            return true;
        }
        if (a.blamedIsMachinery() || b.blamedIsMachinery()) {
            return false; // a stack of machinery only names no code of the program
        }
        return a.unit().equals(b.unit()) || b.functions().contains(a.enclosing())
                || a.functions().contains(b.enclosing());
    }
}
