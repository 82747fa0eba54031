package dev.leakwatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GoParseTest {

  @Test
  void shouldAverageTheNanosecondsPerParseOverTheHarnessRows() {
    String out = """
        | file | gz bytes | Parse ns/op | Parse profiles/s | Parse MB/s (gz) | gunzip ns/op | gunzip MB/s (gz) |
        |---|---:|---:|---:|---:|---:|---:|
        | a.pb.gz | 1000 | 1000000 | 1000 | 1.0 | 5000 | 200.0 |
        | b.pb.gz | 2000 | 3000000 | 333 | 0.7 | 9000 | 222.2 |
        """;
    // mean 2 ms per parse: 500 profiles/s
    assertEquals(500.0, GoParse.parse(out), 1e-9);
  }

  @Test
  void shouldRejectOutputWithoutTimingRows() {
    assertThrows(IllegalStateException.class, () -> GoParse.parse("go: command not found\n"));
  }
}
