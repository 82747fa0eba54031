package dev.leakwatch.detect.eval;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectStatus;
import dev.leakwatch.detect.lifecycle.SuspectEvent;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Scores one scenario's events against its ground truth, the way the project's eval does: a leak is
 * detected when any OPEN event exists; the site is correct when an OPEN event's site or stack contains one
 * of {@code leak_site_functions}; a false positive is any event on a not_leak service, or any event whose
 * site or stack contains a {@code watch_functions} entry; the delay runs from the earliest leak start to
 * the first OPEN.
 */
public record ScenarioScore(CorpusScenario scenario, boolean detected, boolean siteCorrect, int falsePositives,
        OptionalDouble delaySeconds, List<SuspectEvent> events) {

    public static ScenarioScore of(CorpusScenario s, List<SuspectEvent> events) {
        List<SuspectEvent> opens = events.stream().filter(e -> e.status() == SuspectStatus.OPEN).toList();
        boolean detected = s.isLeak() && !opens.isEmpty();
        boolean siteCorrect = s.isLeak() && opens.stream().anyMatch(e -> mentions(e, s.leakSiteFunctions()));
        int fp = (int) opens.stream()
                .filter(e -> !s.isLeak() || (mentions(e, s.watchFunctions()) && !mentions(e, s.leakSiteFunctions())))
                .count();
        OptionalDouble delay = OptionalDouble.empty();
        if (detected && s.earliestLeakStartMs().isPresent()) {
            long first = opens.stream().mapToLong(SuspectEvent::detectedAtMs).min().orElseThrow();
            delay = OptionalDouble.of((first - s.earliestLeakStartMs().getAsLong()) / 1000.0);
        }
        return new ScenarioScore(s, detected, siteCorrect, fp, delay, events);
    }

    private static boolean mentions(SuspectEvent e, List<String> functions) {
        if (functions.contains(e.site().function())) {
            return true;
        }
        for (SiteFrame f : e.stack()) {
            if (functions.contains(f.function())) {
                return true;
            }
        }
        return false;
    }

    /** One line for the evaluation report. */
    public String line() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-2s %-18s %-8s detected=%-5s site=%-5s fp=%d",
                scenario.id(), scenario.service(), scenario.label(), detected, siteCorrect, falsePositives));
        delaySeconds.ifPresent(d -> sb.append(String.format(Locale.ROOT, " delay=%.1fs", d)));
        for (SuspectEvent e : events) {
            sb.append(String.format(Locale.ROOT, "%n     %s %s %s %s rate=%.0f %s z=%.2f conf=%.2f at=+%.1fs",
                    e.status(), e.kind(), e.site().function(), e.instances(), e.growthRatePerHour(),
                    e.growthUnit(), e.statisticValue(), e.confidence(),
                    (e.detectedAtMs() - scenario.captures().get(0).timeMs()) / 1000.0));
        }
        return sb.toString();
    }
}
