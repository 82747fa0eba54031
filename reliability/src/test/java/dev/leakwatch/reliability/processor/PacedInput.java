package dev.leakwatch.reliability.processor;

import dev.leakwatch.topology.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a list of records, in order, either all at once or a few at a time so that at most a
 * given number are sent and not yet accounted for. Paced, a processor never has more than that
 * many inputs ahead of what it committed: a kill once it has committed a given share then lands
 * with the rest of the input still to come, however fast the processor runs (sent all at once, a
 * fast instance committed everything left between the check and the kill, and the kill
 * interrupted nothing).
 */
final class PacedInput implements AutoCloseable {

  private final List<ProducerRecord<byte[], byte[]>> records;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Position> sent = new ArrayList<>();

  PacedInput(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
    this.records = List.copyOf(records);
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** How many records there are to send in all. */
  int size() {
    return records.size();
  }

  /**
   * Sends records until {@code ahead} of them are sent beyond {@code accounted} (or none is left),
   * each acknowledged before the next.
   *
   * @param accounted how many of the sent records the processor has committed
   * @param ahead the most sent and not yet committed
   */
  void topUp(int accounted, int ahead) throws Exception {
    while (sent.size() < records.size() && sent.size() - accounted < ahead) {
      sent.add(Position.of(producer.send(records.get(sent.size())).get()));
    }
  }

  /** Sends every record not yet sent. */
  void sendRest() throws Exception {
    topUp(0, Integer.MAX_VALUE);
  }

  /** Where each record sent so far landed, in the order of the list. */
  List<Position> sent() {
    return List.copyOf(sent);
  }

  @Override
  public void close() {
    producer.close();
  }
}
