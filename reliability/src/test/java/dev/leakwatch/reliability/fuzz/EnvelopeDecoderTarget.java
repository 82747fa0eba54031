package dev.leakwatch.reliability.fuzz;

import static dev.leakwatch.reliability.fuzz.FuzzTarget.require;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.DecodeOutcome;
import dev.leakwatch.topology.DeadLetter;
import dev.leakwatch.topology.EnvelopeDecoder;
import dev.leakwatch.topology.SourcePosition;
import dev.leakwatch.topology.TopologyConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The processor's whole decode stage ({@link EnvelopeDecoder}: size, Avro, validation, pprof,
 * site extraction) as the topology runs it on every input record. Contract: it never throws; every
 * rejection is a dead letter with a stage, an exception class and a message. A throw here would
 * kill the stream thread on a poison record, so the processor would crash-loop on it.
 *
 * <p>The record key is the envelope's own {@code service/instance} when the value deserializes
 * (so the profile bytes are what gets checked), else a fixed key; the record timestamp is the
 * capture time's upper bound, so only the skew check can reject a time.
 */
final class EnvelopeDecoderTarget implements FuzzTarget {

  private static final long RECORD_TIMESTAMP = 1_800_000_000_000L;

  private final Deserializer<ProfileEnvelope> keys =
      LeakwatchSerdes.profileEnvelope(Map.of(), false).deserializer();
  private final EnvelopeDecoder decoder;

  EnvelopeDecoderTarget() {
    TopologyConfig config = TopologyConfig.defaults()
        .withLimits(PprofDecoderTarget.SERVICE, 4L << 20, Duration.ofMinutes(5));
    decoder = new EnvelopeDecoder(LeakwatchSerdes.profileEnvelope(Map.of(), false).deserializer(), config);
  }

  @Override
  public String name() {
    return "envelope-decoder";
  }

  /** The pprof decoder's budget under the same limits: the envelope adds copies of the input only. */
  @Override
  public long allocationBudget(int inputBytes) {
    return PprofDecoderTarget.budget(PprofDecoderTarget.SERVICE, 2 * inputBytes);
  }

  @Override
  public String run(byte[] input) {
    DecodeOutcome outcome = decoder.decode(keyFor(input), input,
        new SourcePosition(EnvelopeSerdeTarget.TOPIC, 0, 0, RECORD_TIMESTAMP), RECORD_TIMESTAMP);
    if (outcome instanceof DecodeOutcome.Rejected r) {
      DeadLetter d = r.deadLetter();
      require(!d.reason().isBlank(), "dead letter without a reason at stage " + d.stage());
      require(Arrays.equals(r.value(), input), "the dead letter must carry the input bytes unchanged");
      return d.stage() + " " + d.errorClass().substring(d.errorClass().lastIndexOf('.') + 1)
          + ": " + FuzzTarget.shape(d.reason());
    }
    return "ok";
  }

  private byte[] keyFor(byte[] input) {
    try {
      ProfileEnvelope e = keys.deserialize(EnvelopeSerdeTarget.TOPIC, input);
      return (e.getService() + "/" + e.getInstance()).getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException notAnEnvelope) {
      return "service/instance".getBytes(StandardCharsets.UTF_8);
    }
  }
}
