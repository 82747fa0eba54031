package dev.leakwatch.reliability.fuzz;

import static dev.leakwatch.reliability.fuzz.FuzzTarget.require;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The production {@code ProfileEnvelope} deserializer (no registry configured, as the processor
 * runs by default). Contract (its Javadoc): an envelope, or a {@link SerializationException} naming
 * the topic; a decoded envelope holds nothing larger than the input it came from.
 */
final class EnvelopeSerdeTarget implements FuzzTarget {

  static final String TOPIC = "leakwatch.profiles";

  private final Deserializer<ProfileEnvelope> deserializer =
      LeakwatchSerdes.profileEnvelope(Map.of(), false).deserializer();

  @Override
  public String name() {
    return "envelope-serde";
  }

  /**
   * Four times the input plus 1 MiB: an envelope holds nothing larger than its record, whatever
   * lengths its fields declare (the largest allocation of a 25,000-input campaign: 96 KiB).
   */
  @Override
  public long allocationBudget(int inputBytes) {
    return 4L * inputBytes + (1 << 20);
  }

  @Override
  public String run(byte[] input) {
    ProfileEnvelope e;
    try {
      e = deserializer.deserialize(TOPIC, input);
    } catch (SerializationException x) {
      String m = x.getMessage();
      require(m != null && m.contains("topic '" + TOPIC + "'"), "rejection does not name the topic: " + m);
      return "rejected " + FuzzTarget.shape(m);
    }
    require(e != null, "null envelope for " + input.length + " bytes");
    require(e.getProfile().remaining() <= input.length, "profile larger than the record");
    require(e.getService().length() + e.getInstance().length() <= input.length, "names larger than the record");
    return "ok";
  }
}
