package dev.leakwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @TempDir Path dir;

  @Test
  void shouldReadOneTrimmedTokenPerLineSkippingBlankAndCommentLines() throws IOException {
    Path file = Files.writeString(dir.resolve("tokens"), "# rotated 2026-11\n\n  first \t\nsecond#not-a-comment\n   # indented\nthird");

    assertEquals(List.of("first", "second#not-a-comment", "third"), TokenFile.read(file));
  }

  @Test
  void shouldReadNoTokenFromAFileOfCommentsAndFailOnAMissingOne() throws IOException {
    assertEquals(List.of(), TokenFile.read(Files.writeString(dir.resolve("empty"), "# none yet\n \n")));
    assertThrows(NoSuchFileException.class, () -> TokenFile.read(dir.resolve("missing")));
  }
}
