package dev.leakwatch.detect.growth;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.TestCorpora;
import dev.leakwatch.detect.eval.CorpusScenario;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.detect.site.SiteValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Replays one instance of a recorded scenario through {@link InstanceDetector} and records, at every
 * capture, the reports and the verdicts of the sites whose stack contains given functions.
 */
final class InstanceReplay {
    final List<InstanceReport> reports = new ArrayList<>();
    final Set<Verdict> verdicts = EnumSet.noneOf(Verdict.class);
    final List<String> growing = new ArrayList<>();
    /** Most captures at which a mentioned site's lifetime was known, over the replay. */
    int mostKnownLifetimes;

    static InstanceReplay of(CorpusScenario s, String instance, ProfileKind kind, List<String> functions) {
        DetectionConfig config = DetectionConfig.defaults();
        InstanceDetector detector = new InstanceDetector(config);
        GrowthAnalyzer analyzer = new GrowthAnalyzer(config);
        InstanceReplay r = new InstanceReplay();
        InstanceSeries series = null;
        for (CorpusScenario.Capture c : s.captures()) {
            if (!c.instance().equals(instance) || c.kind() != kind) {
                continue;
            }
            CaptureSnapshot snap = SiteExtractor.extract(TestCorpora.decode(c.file()), kind, c.timeMs());
            InstanceStep step = detector.process(series, new CaptureContext(s.service(), instance, kind, c.timeMs(),
                    null), snap);
            series = step.series();
            r.reports.add(step.report());
            for (TrackedSite t : series.sites()) {
                SiteValue v = snap.sites().get(t.id());
                if (v == null || !mentions(v.site(), functions)) {
                    continue;
                }
                long[] values = t.knownValues();
                SiteJudgement j = analyzer.judge(series.lastTimes(values.length), values, kind.suspectKind(),
                        series.samplingPeriod(), snap.totalValue(), series.generationStartMs(), t.quietUntilMs(),
                        t.climbPast(), t.knownLifetimes());
                r.verdicts.add(j.verdict());
                r.mostKnownLifetimes = Math.max(r.mostKnownLifetimes,
                        (int) Arrays.stream(t.knownLifetimes()).filter(code -> code != 0).count());
                if (j.growing()) {
                    r.growing.add(c.file().getFileName() + " " + v.site());
                }
            }
        }
        return r;
    }

    static boolean mentions(Site site, List<String> functions) {
        return site.stack().stream().map(SiteFrame::function).anyMatch(functions::contains);
    }

    /** Findings of every report whose site mentions one of the functions. */
    List<GrowthFinding> findingsMentioning(List<String> functions) {
        return reports.stream().flatMap(r -> r.findings().stream()).filter(f -> mentions(f.site(), functions)).toList();
    }
}
