package dev.leakwatch.cli;

import dev.leakwatch.agent.config.ByteSizes;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.schemas.settings.UrlCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the value notations the configuration files use. */
final class CliValues {

  private CliValues() {}

  /** A duration: plain seconds ({@code 90}) or the config notation ({@code 90s}, {@code 1m30s}). */
  static final class DurationValue implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      String t = text.trim();
      try {
        return t.matches("\\d{1,9}") ? Duration.ofSeconds(Long.parseLong(t)) : Durations.parse(t, "duration");
      } catch (ConfigException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A size: bytes or {@code 512KiB}, {@code 256MiB}, {@code 1GiB}; {@code 0} or {@code none} for none (null). */
  static final class SizeValue implements ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("none") || t.equals("0")) {
        return null;
      }
      try {
        return ByteSizes.parse(t, "size");
      } catch (ConfigException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A replay speed: a positive factor ({@code 2}, {@code 0.5}) or {@code max} for no pacing. */
  static final class SpeedValue implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("max")) {
        return Double.POSITIVE_INFINITY;
      }
      try {
        double v = Double.parseDouble(t);
        if (v > 0 && !Double.isInfinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new TypeConversionException("'" + text + "' is not a speed (a positive factor such as 2 or 0.5, or max)");
    }
  }

  /**
   * A TCP port to listen on: {@code 0} (a free one) to {@code 65535}. Checked while parsing, so an
   * impossible port is a usage error naming the option, not a bind failure after other parts started.
   */
  static final class PortValue implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      try {
        int port = Integer.parseInt(text.trim());
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new TypeConversionException("'" + text + "' is not a port (0 to 65535; 0 picks a free one)");
    }
  }

  /**
   * A URL without {@code user:password@}: Java's HTTP client does not send them (every request
   * would fail 401) and the errors that quote the URL would print the password in the log of a
   * long-running command. Neither refusal quotes the password, nor does the parser's reason.
   */
  static final class UrlValue implements ITypeConverter<URI> {
    @Override
    public URI convert(String text) {
      URI uri;
      try {
        uri = new URI(text.trim());
      } catch (URISyntaxException e) {
        throw new TypeConversionException("'" + UrlCredentials.hide(text) + "' is not a URL: " + e.getReason());
      }
      if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
        throw new TypeConversionException("'" + UrlCredentials.hide(text) + "': credentials in a URL"
            + " (user:password@) are not sent; the query API's token goes in --token-file");
      }
      return uri;
    }
  }

  /** An ISO-8601 instant, e.g. {@code 2026-11-27T18:00:00Z}. */
  static final class InstantValue implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
      try {
        return Instant.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + text + "' is not an instant (e.g. 2026-11-27T18:00:00Z)");
      }
    }
  }
}
