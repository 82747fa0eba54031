package dev.leakwatch.agent.discovery;

import dev.leakwatch.agent.config.AgentConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the target files held at one read, file by file: the text, or why it could not be read. A
 * missing file reads as empty (it may be created later). Two snapshots are equal when every file
 * held the same text, which is how discovery tells a change, and a settled one, apart.
 */
record TargetFileSnapshot(Map<Path, Content> files) {

  /** One file's text, or the reason it could not be read. */
  record Content(String text, String error) {}

  TargetFileSnapshot {
    files = Map.copyOf(files);
  }

  /** Reads every file now, in order; may block as long as the file system does. */
  static TargetFileSnapshot read(List<Path> paths) {
    Map<Path, Content> out = new LinkedHashMap<>();
    for (Path f : paths) {
      out.put(f, readOne(f));
    }
    return new TargetFileSnapshot(out);
  }

  Content get(Path f) {
    Content c = files.get(f);
    if (c == null) {
      throw new IllegalArgumentException(f + " was not read");
    }
    return c;
  }

  private static Content readOne(Path f) {
    try {
      long size = Files.size(f);
      if (size > AgentConfigLoader.MAX_FILE_BYTES) {
        return new Content(
            null, size + " bytes exceeds the limit of " + AgentConfigLoader.MAX_FILE_BYTES);
      }
      return new Content(Files.readString(f), null);
    } catch (NoSuchFileException e) {
      return new Content("", null);
    } catch (IOException e) {
      return new Content(null, "cannot read: " + e);
    }
  }
}
