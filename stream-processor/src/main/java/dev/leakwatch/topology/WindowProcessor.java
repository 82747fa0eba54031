package dev.leakwatch.topology;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.topology.window.WindowContribution;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Service stage, windows: folds each capture's contribution into its service's tumbling window
 * (selected by capture time) and records the frames of stacks new to the dictionary. Per report:
 * one window read, one window write, and one dictionary write per stack the instance did not have
 * at its previous capture.
 */
final class WindowProcessor implements Processor<String, ServiceReport, Void, Void> {

  private final long windowMs;
  private final int maxStacks;
  private WindowStore<String, byte[]> windows;
  private KeyValueStore<String, byte[]> dictionary;

  WindowProcessor(TopologyConfig config) {
    this.windowMs = config.windowSize().toMillis();
    this.maxStacks = config.maxStacksPerWindow();
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    windows = context.getStateStore(TopologyNames.SERVICE_WINDOWS_STORE);
    dictionary = context.getStateStore(TopologyNames.STACK_DICTIONARY_STORE);
  }

  @Override
  public void process(Record<String, ServiceReport> record) {
    WindowContribution c = record.value().window();
    if (c == null) {
      return;
    }
    String service = record.key();
    long start = Math.floorDiv(c.captureMs(), windowMs) * windowMs;
    byte[] stored = windows.fetch(service, start);
    ServiceWindow window = stored == null ? new ServiceWindow() : ServiceWindow.fromBytes(stored);
    window.add(c, maxStacks);
    windows.put(service, window.toBytes(), start);
    for (Map.Entry<Long, List<SiteFrame>> e : c.newStacks().entrySet()) {
      dictionary.put(StackDictionary.key(service, e.getKey()), StackDictionary.encode(e.getValue()));
    }
  }
}
