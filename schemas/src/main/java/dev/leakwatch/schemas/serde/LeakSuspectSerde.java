package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.avro.LeakSuspect;

/** Serde for {@link LeakSuspect}, with the no-arg constructor Streams' default serdes need. */
public final class LeakSuspectSerde extends SpecificAvroSerde<LeakSuspect> {

  /** A serde configured later through {@link #configure}. */
  public LeakSuspectSerde() {
    super(LeakSuspect.class);
  }
}
