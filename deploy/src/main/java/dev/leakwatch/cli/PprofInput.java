package dev.leakwatch.cli;

import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecodeException;
import dev.leakwatch.pprof.ProfileDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads profile files for the {@code pprof} commands, turning every failure into a message. */
final class PprofInput {
  private PprofInput() {}

  /** A profile file that could not be used; the message says which file and why. */
  static final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    BadInput(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads and decodes {@code file} with the default limits (the file size is checked first). */
  static Profile decode(Path file) throws BadInput {
    DecodeLimits limits = DecodeLimits.defaults();
    try {
      long size = Files.size(file);
      if (size > limits.maxCompressedBytes()) {
        throw new BadInput(file + ": input of " + size + " bytes exceeds limit maxCompressedBytes="
            + limits.maxCompressedBytes() + " (COMPRESSED_TOO_LARGE)", null);
      }
      return ProfileDecoder.decode(Files.readAllBytes(file), limits);
    } catch (ProfileDecodeException e) {
      throw new BadInput(file + ": " + e.getMessage() + " (" + e.reason() + ")", e);
    } catch (NoSuchFileException e) {
      throw new BadInput(file + ": no such file", e);
    } catch (IOException e) {
      throw new BadInput(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
