package dev.leakwatch.detect.eval;

import dev.leakwatch.detect.DetectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobustnessProbe {
    @Test
    void probe() throws Exception {
        if (System.getProperty("probe") == null) {
            return;
        }
        StringBuilder out = new StringBuilder();
        for (String root : List.of(System.getProperty("leakwatch.shared.corpus"), System.getProperty("leakwatch.testdata") + "/corpus")) {
            for (int stride : new int[] {1, 2, 3}) {
                for (int offset = 0; offset < stride; offset++) {
                    for (CorpusScenario s : CorpusScenario.loadAll(Path.of(root))) {
                        List<CorpusScenario.Capture> kept = new ArrayList<>();
                        for (CorpusScenario.Capture c : s.captures()) {
                            int seq = Integer.parseInt(c.file().getFileName().toString().substring(0, 4));
                            if (seq % stride == offset) {
                                kept.add(c);
                            }
                        }
                        CorpusScenario sub = new CorpusScenario(s.dir(), s.id(), s.service(), s.label(), s.leakKind(),
                                s.leakSiteFunctions(), s.watchFunctions(), kept, s.earliestLeakStartMs());
                        ScenarioScore sc = ScenarioScore.of(sub, new CorpusReplay(DetectionConfig.defaults().toBuilder().minCaptures(Integer.getInteger("probe.minCaptures", 12)).minSpan(java.time.Duration.ofSeconds(Integer.getInteger("probe.minSpan", 20))).build()).replay(sub));
                        out.append("stride=").append(stride).append(" off=").append(offset).append(' ')
                                .append(sc.falsePositives() > 0 ? sc.line() : sc.line().lines().findFirst().orElse("")).append('\n');
                    }
                }
            }
        }
        Files.writeString(Path.of(System.getProperty("probe.out", "/tmp/diag/probe.txt")), out);
    }
}
