package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.pprof.testing.GoTool;
import dev.leakwatch.pprof.testing.ProfileFixtures;
import dev.leakwatch.pprof.testing.SharedCorpus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compares the whole {@link TopReport} text with what {@code go tool pprof -top} prints for the same
 * file, for every sample type and with a node count, live (skips without {@code go} or a corpus).
 */
class TopVersusGoToolTest {

  @Test
  void shouldPrintTheSameTextAsGoToolPprofTop() {
    GoTool.assumeAvailable();
    List<Path> files = new ArrayList<>();
    for (String type : List.of("heap", "goroutine", "allocs")) {
      List<Path> all = ProfileFixtures.files(type);
      int step = Math.max(1, all.size() / Integer.getInteger("leakwatch.top.files", 4));
      for (int i = all.size() - 1; i >= 0; i -= step) {
        files.add(all.get(i));
      }
    }
    int compared = 0;
    for (Path file : files) {
      Profile p = ProfileDecoder.decode(SharedCorpus.read(file));
      for (ValueType st : p.sampleTypes()) {
        int si = p.sampleIndex(st.type());
        for (int nodeCount : new int[] {0, 10}) {
          List<String> args = new ArrayList<>(List.of("-top", "-sample_index=" + st.type()));
          if (nodeCount > 0) {
            args.add("-nodecount=" + nodeCount);
          }
          args.add(file.toString());
          String expected = GoTool.pprof(args);
          String actual = Top.of(p, TopOptions.defaults().withSampleIndex(si)
              .withNodeCount(nodeCount)).render();
          assertEquals(expected, actual, file + " " + args);
          compared++;
        }
      }
    }
    System.out.println("compared " + compared + " reports");
  }
}
