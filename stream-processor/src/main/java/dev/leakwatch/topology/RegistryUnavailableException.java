package dev.leakwatch.topology;

import dev.leakwatch.schemas.registry.SchemaRegistryException;

/**
 * An input record could not be read because the schema registry could not be asked for its schema
 * ({@link SchemaRegistryException#registryUnavailable()}): unreachable, answering 5xx, 408, 429,
 * 401 or 403, refused over TLS, or something other than a registry answering (a body that is not
 * JSON). The record is not at fault, so it is not dead-lettered; the exception fails the stream
 * thread instead (the processor stops with exit code 1 and, restarted, reads the record again from
 * its last commit). Schemas already read stay cached, so only records with a schema id this
 * processor has not seen since its start need the registry.
 */
public final class RegistryUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  RegistryUnavailableException(SourcePosition source, SchemaRegistryException cause) {
    super("cannot read the record at " + source.describe()
        + ": the schema registry could not be asked for its schema (" + cause.getMessage() + "); not"
        + " dead-lettered: the processor stops and, restarted, reads it again", cause);
  }
}
