package dev.leakwatch.detect.eval;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.growth.CaptureContext;
import dev.leakwatch.detect.growth.InstanceDetector;
import dev.leakwatch.detect.growth.InstanceStep;
import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.detect.lifecycle.SuspectEvent;
import dev.leakwatch.detect.lifecycle.SuspectTracker;
import dev.leakwatch.detect.lifecycle.TrackerStep;
import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.pprof.ProfileDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a scenario exactly as the topology does: captures in capture-time order; per instance and kind
 * the stored series (round-tripped through its byte form, as RocksDB would) is updated with the decoded
 * profile; the report (round-tripped too) goes to the service's lifecycle state (round-tripped). Only the
 * service, instance, kind, capture time and bytes are used.
 */
public final class CorpusReplay {
    private final InstanceDetector detector;
    private final SuspectTracker tracker;

    public CorpusReplay(DetectionConfig config) {
        this.detector = new InstanceDetector(config);
        this.tracker = new SuspectTracker(config);
    }

    /** Every event the scenario produces, in emission order. */
    public List<SuspectEvent> replay(CorpusScenario scenario) {
        Map<String, byte[]> seriesStore = new HashMap<>();
        byte[] serviceState = null;
        List<SuspectEvent> events = new ArrayList<>();
        for (CorpusScenario.Capture c : scenario.captures()) {
            String key = c.instance() + "/" + c.kind();
            byte[] stored = seriesStore.get(key);
            InstanceSeries series = stored == null ? null : InstanceSeries.fromBytes(stored);
            CaptureContext ctx = new CaptureContext(scenario.service(), c.instance(), c.kind(), c.timeMs(), null);
            InstanceStep step = detector.process(series, ctx, ProfileDecoder.decode(read(c)));
            seriesStore.put(key, step.series().toBytes());
            ServiceSuspects state = serviceState == null ? null : ServiceSuspects.fromBytes(serviceState);
            TrackerStep t = tracker.onReport(state, dev.leakwatch.detect.growth.InstanceReport.fromBytes(
                    step.report().toBytes()));
            serviceState = t.state().toBytes();
            events.addAll(t.events());
        }
        return events;
    }

    private static byte[] read(CorpusScenario.Capture c) {
        try {
            return Files.readAllBytes(c.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
