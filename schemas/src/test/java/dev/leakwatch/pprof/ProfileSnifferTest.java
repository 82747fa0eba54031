package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.pprof.testing.Bytes;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProfileSnifferTest {

  @Test
  void shouldAcceptEveryKindOfRealProfileGzippedAndPlain() {
    for (String kind : new String[] {"heap", "goroutine", "allocs"}) {
      byte[] gz = ProfileFixtures.largestBytes(kind);
      SniffResult gzipped = ProfileSniffer.sniff(gz);
      assertTrue(gzipped.isProfile(), kind + ": " + gzipped.reason());
      SniffResult plain = ProfileSniffer.sniff(Bytes.gunzip(gz));
      assertTrue(plain.isProfile(), kind + " plain: " + plain.reason());
    }
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
      "<!DOCTYPE html><html><body>404 page not found</body></html>|HTML",
      "{\"error\": \"unauthorized\"}|JSON",
      "heap profile: 3: 4096 [12: 8192] @ heap/1048576|text",
      "  	  |whitespace",
  })
  void shouldRejectTextBodiesNamingWhatTheyLookLike(String body, String named) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    SniffResult plain = ProfileSniffer.sniff(bytes);
    assertFalse(plain.isProfile());
    assertTrue(plain.reason().contains(named), plain.reason());
    SniffResult gzipped = ProfileSniffer.sniff(Bytes.gzip(bytes));
    assertFalse(gzipped.isProfile());
    assertTrue(gzipped.reason().contains(named), gzipped.reason());
  }

  @Test
  void shouldRejectEmptyBody() {
    assertFalse(ProfileSniffer.sniff(new byte[0]).isProfile());
    assertTrue(ProfileSniffer.sniff(new byte[0]).reason().contains("empty"));
    assertFalse(ProfileSniffer.sniff(null).isProfile());
  }

  @Test
  void shouldRejectTruncatedGzipOfARealProfile() {
    byte[] gz = ProfileFixtures.largestBytes("heap");
    // Cut well before 4 KB of output: the sniffer runs out of input while inflating its prefix.
    SniffResult r = ProfileSniffer.sniff(Arrays.copyOf(gz, 200));
    assertFalse(r.isProfile());
    assertTrue(r.reason().contains("truncated"), r.reason());
  }

  @Test
  void shouldRejectBinaryThatIsNotAProfile() {
    // A PNG header: binary, but its first byte is not a Profile field with a valid wire type.
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d};
    SniffResult r = ProfileSniffer.sniff(png);
    assertFalse(r.isProfile());
    assertTrue(r.reason().startsWith("not a profile.proto"), r.reason());
  }

  @Test
  void shouldInflateOnlyAPrefixOfAGzipBomb() {
    byte[] bomb = Bytes.gzip(new byte[64 * 1024 * 1024]);
    // All zero bytes: field 0 is not a valid tag, found within the prefix without inflating 64 MB.
    SniffResult r = ProfileSniffer.sniff(bomb);
    assertFalse(r.isProfile());
  }
}
