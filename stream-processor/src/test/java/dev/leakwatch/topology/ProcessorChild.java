package dev.leakwatch.topology;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;

/**
 * A processor instance in its own JVM, so that a test can kill it the hard way ({@code kill -9}):
 * {@code ProcessorChild <config yaml>}. Prints {@code STATE <state>} on every state change.
 */
public final class ProcessorChild {

  private ProcessorChild() {}

  public static void main(String[] args) throws Exception {
    ProcessorConfig config = ProcessorConfig.parse(args[0]);
    ProcessorRuntime runtime = new ProcessorRuntime(config);
    runtime.onStateChange(now -> {
      System.out.println("STATE " + now);
      System.out.flush();
    });
    runtime.start();
    runtime.awaitTermination();
  }
}
