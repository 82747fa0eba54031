package dev.leakwatch.schemas.serde;

import dev.leakwatch.schemas.avro.ProfileEnvelope;

/** Serde for {@link ProfileEnvelope}, with the no-arg constructor Streams' default serdes need. */
public final class ProfileEnvelopeSerde extends SpecificAvroSerde<ProfileEnvelope> {

  /** A serde configured later through {@link #configure}. */
  public ProfileEnvelopeSerde() {
    super(ProfileEnvelope.class);
  }
}
