package dev.leakwatch.detect.eval;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.growth.GrowthAnalyzer;
import dev.leakwatch.detect.growth.SiteJudgement;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.detect.series.TrackedSite;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.detect.site.SiteValue;
import dev.leakwatch.pprof.ProfileDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnoseMain {
    @Test
    void diagnose() throws Exception {
        String dir = System.getProperty("diag.dir");
        if (dir == null) {
            return;
        }
        DetectionConfig cfg = DetectionConfig.defaults();
        GrowthAnalyzer an = new GrowthAnalyzer(cfg);
        StringBuilder out = new StringBuilder();
        for (String d : dir.split(",")) {
            CorpusScenario s = CorpusScenario.load(Path.of(d));
            Map<String, InstanceSeries> series = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            long t0 = s.captures().get(0).timeMs();
            for (CorpusScenario.Capture c : s.captures()) {
                if (c.kind() == ProfileKind.ALLOCS) {
                    continue;
                }
                CaptureSnapshot snap = SiteExtractor.extract(ProfileDecoder.decode(Files.readAllBytes(c.file())),
                        c.kind(), c.timeMs());
                for (SiteValue v : snap.sites().values()) {
                    names.putIfAbsent(v.site().id(), v.site().frame().function() + "<"
                            + v.site().stack().get(Math.min(v.site().siteIndex() + 1, v.site().stack().size() - 1)).function());
                }
                InstanceSeries ser = series.computeIfAbsent(c.instance() + "/" + c.kind(), k -> InstanceSeries.empty(c.kind()));
                var upd = ser.append(snap, cfg);
                if (upd.startedNewSeries()) {
                    out.append(String.format("%s %s +%.0fs %s%n", c.instance(), c.kind(), (c.timeMs() - t0) / 1000.0, upd));
                }
                for (TrackedSite t : ser.sites()) {
                    long[] v = t.knownValues();
                    SiteJudgement j = an.judge(ser.lastTimes(v.length), v, c.kind().suspectKind(), ser.samplingPeriod(),
                            snap.totalValue(), ser.generationStartMs(), t.quietUntilMs());
                    if (j.zScore() >= 2.0 || j.growing()) {
                        out.append(String.format("%s %s %s +%.0fs %-22s z=%.2f slope=%.0f last=%d %s%n", s.id(), c.instance(),
                                c.kind(), (c.timeMs() - t0) / 1000.0, j.verdict(), j.zScore(), j.slopePerHour(),
                                v[v.length - 1], names.get(t.id())));
                    }
                }
            }
        }
        Files.writeString(Path.of(System.getProperty("diag.out", "/tmp/diag/out.txt")), out);
    }
}
