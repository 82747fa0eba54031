package dev.leakwatch.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProcessorMetricsTest {

  @Test
  void shouldDropACounterThatWentNegativeInsteadOfFailingTheWholeScrape() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ProcessorMetrics metrics = new ProcessorMetrics(registry)) {
      AtomicLong broken = new AtomicLong(-1); // as some Kafka Streams sensors report (KAFKA-18495)
      AtomicLong fine = new AtomicLong(5);
      FunctionCounter.builder("kafka.stream.broken.total", broken, AtomicLong::get).register(registry);
      FunctionCounter.builder("kafka.stream.fine.total", fine, AtomicLong::get).register(registry);

      String text = metrics.scrape();

      assertTrue(text.contains("kafka_stream_fine_total 5.0"), text);
      assertTrue(text.contains("leakwatch_profiles_processed_total"), "Leakwatch's own metrics stay");
      assertFalse(text.contains("kafka_stream_broken"), "the negative counter is dropped");
      // a binder that registers it again (Kafka's metric binders re-scan) gets nothing
      FunctionCounter.builder("kafka.stream.broken.total", broken, AtomicLong::get).register(registry);
      assertFalse(metrics.scrape().contains("kafka_stream_broken"));
    }
  }
}
