package dev.leakwatch.cli;

/**
 * Console log levels for the commands that run Kafka clients: Kafka Streams prints hundreds of
 * INFO lines (every client's full configuration) that would bury Leakwatch's own messages. Applied
 * before the loggers are created; an explicit {@code -Dorg.slf4j.simpleLogger.log.<name>=...} wins.
 */
final class ProcessorLogging {

  private static final String LOGGER_LEVEL = "org.slf4j.simpleLogger.log.";

  private ProcessorLogging() {}

  static void kafkaAt(String level) {
    loggerAt("org.apache.kafka", level);
  }

  /** Sets the level of logger (or package) {@code name} unless the user has set it. */
  static void loggerAt(String name, String level) {
    if (System.getProperty(LOGGER_LEVEL + name) == null) {
      System.setProperty(LOGGER_LEVEL + name, level);
    }
  }
}
