package dev.leakwatch.reliability.processor;

import static org.awaitility.Awaitility.await;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import java.time.Duration;
import java.util.Collection;

/**
 * The uninterrupted run a campaign is compared with: one processor instance in this JVM, its own
 * application id, state and output topics, reading the same input, never disturbed.
 */
final class ReferenceRun implements AutoCloseable {

  final ProcessorRuntime runtime;
  final ProcessorOutputs outputs;

  private ReferenceRun(ProcessorRuntime runtime, ProcessorOutputs outputs) {
    this.runtime = runtime;
    this.outputs = outputs;
  }

  static ReferenceRun start(CampaignFixture fixture, String app) {
    ProcessorConfig config = ProcessorConfig.parse(fixture.yaml(app, "only"));
    ProcessorRuntime runtime = new ProcessorRuntime(config);
    runtime.start();
    return new ReferenceRun(runtime, new ProcessorOutputs(fixture.bootstrap(), config.topology()));
  }

  /** Waits until every given input is processed or dead-lettered. */
  ReferenceRun awaitAccounted(Collection<Position> produced) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> outputs.accounted().containsAll(produced));
    return this;
  }

  int httpPort() {
    return runtime.httpPort();
  }

  @Override
  public void close() {
    try (ProcessorOutputs o = outputs) {
      runtime.close();
    }
  }
}
