package dev.leakwatch.cli;

/**
 * Console log level of Kafka's own classes for the processor and eval commands: Kafka Streams
 * prints hundreds of INFO lines (every client's full configuration) that would bury Leakwatch's
 * own messages. Applied before Kafka creates its loggers; an explicit
 * {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=...} wins.
 */
final class ProcessorLogging {

  private static final String KAFKA_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

  private ProcessorLogging() {}

  static void kafkaAt(String level) {
    if (System.getProperty(KAFKA_LOG_LEVEL) == null) {
      System.setProperty(KAFKA_LOG_LEVEL, level);
    }
  }
}
