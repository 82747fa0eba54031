package dev.leakwatch.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * How the benchmarks that run the processor in a child JVM on the local broker (e2e, scaling, query)
 * set it up: topic partitions and the processor JVM's heap and options.
 */
public final class RigOptions {

  @Option(names = "--partitions", defaultValue = "6", description = "topic partitions (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--processor-heap", defaultValue = "1g", description = "the processor's -Xmx (default: ${DEFAULT-VALUE})")
  String processorHeap;

  @Option(names = "--processor-java-opts", split = " ", paramLabel = "OPTS",
      description = "more JVM options of the processor, space-separated (e.g. a JFR recording)")
  List<String> processorJavaOptions = List.of();
}
