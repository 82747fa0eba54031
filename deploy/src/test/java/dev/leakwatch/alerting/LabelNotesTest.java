package dev.leakwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.query.SuspectAnswers.Distinguishing;
import dev.leakwatch.query.SuspectAnswers.Labels;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the bridge reads a suspect's labels, and what its annotation says. */
class LabelNotesTest {
  private static final Instant T = Instant.parse("2026-11-28T05:00:00Z");
  private static final Labels VERSION = new Labels(5, 5, false, List.of(), false,
      List.of(new Distinguishing("version", "1.4.2", 2, 2, 5)));

  private final List<String> reads = new ArrayList<>();
  private boolean failing;
  private final LabelNotes notes = new LabelNotes((service, id) -> {
    reads.add(service + "/" + id);
    if (failing) {
      throw new SuspectApi.Unavailable("503");
    }
    return Optional.of(VERSION);
  });

  private static Map<String, Suspect> open(int n) {
    Map<String, Suspect> open = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("%02d", i);
      open.put("svc/" + id, ScriptedApi.heap("svc", id, null));
    }
    return open;
  }

  @Test
  void shouldReadAtMostABoundedNumberOfSuspectsPerRoundAndEachOncePerRefresh() {
    Map<String, Suspect> open = open(LabelNotes.READS_PER_ROUND + 5);
    notes.refresh(open, T);
    assertEquals(LabelNotes.READS_PER_ROUND, reads.size());
    notes.refresh(open, T.plusSeconds(60));
    assertEquals(LabelNotes.READS_PER_ROUND + 5, reads.size(), "the rest in the next round");
    notes.refresh(open, T.plusSeconds(120));
    assertEquals(LabelNotes.READS_PER_ROUND + 5, reads.size(), "nothing is due before the refresh");
    assertEquals("version=1.4.2 on 2 of 5 live instances", notes.note("svc/24"));

    reads.clear();
    notes.refresh(open, T.plus(LabelNotes.REFRESH));
    assertEquals(open(LabelNotes.READS_PER_ROUND).keySet().stream().toList(), reads, "the oldest notes first");
  }

  @Test
  void shouldKeepTheNoteAndAskAgainNextRoundWhenAReadFails() {
    Map<String, Suspect> open = open(1);
    notes.refresh(open, T);
    failing = true;
    notes.refresh(open, T.plus(LabelNotes.REFRESH));
    assertEquals("version=1.4.2 on 2 of 5 live instances", notes.note("svc/00"), "kept");
    notes.refresh(open, T.plus(LabelNotes.REFRESH).plusSeconds(60));
    assertEquals(3, reads.size(), "asked again at the next round");
  }

  @Test
  void shouldForgetTheNotesOfSuspectsNoLongerOpen() {
    notes.refresh(open(2), T);
    notes.refresh(open(1), T.plusSeconds(60));
    assertEquals("", notes.note("svc/01"));
  }

  @Test
  void shouldWriteTheRarestPairsFirstBoundedAndSayWhenOnlySomeInstancesWereCounted() {
    List<Distinguishing> pairs = new ArrayList<>();
    for (int i = 0; i < LabelNotes.MAX_PAIRS + 2; i++) {
      pairs.add(new Distinguishing("k" + i, "v", 2, 2 + i, 1000));
    }
    String text = LabelNotes.text(new Labels(4000, 1000, true, List.of(), false, pairs));
    assertEquals("k0=v on 2 of 1000 live instances; k1=v on 3 of 1000 live instances; k2=v on 4 of 1000 live"
        + " instances; k3=v on 5 of 1000 live instances; k4=v on 6 of 1000 live instances; ... (counted: the first"
        + " 1000 of 4000 by name)", text);
    assertEquals("", LabelNotes.text(new Labels(2, 2, false, List.of(), false, List.of())), "nothing sets them apart");
  }
}
