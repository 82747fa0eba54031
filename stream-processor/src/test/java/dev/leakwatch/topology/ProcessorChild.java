package dev.leakwatch.topology;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;

/**
 * A processor instance in its own JVM, so that a test can kill it the hard way ({@code kill -9}):
 * {@code ProcessorChild <config yaml>}. Prints {@code HTTP <port>} once its query API listens and
 * {@code STATE <state>} on every state change. Started by {@link ChildProcessor}.
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
    System.out.println("HTTP " + runtime.httpPort());
    System.out.flush();
    runtime.start();
    runtime.awaitTermination();
  }
}
