package dev.leakwatch.cli;

/** Benchmarks print tables: Kafka's and RocksDB's log lines would bury them. */
final class BenchLogging {

  private BenchLogging() {}

  static void quiet() {
    ProcessorLogging.kafkaAt("error");
  }
}
