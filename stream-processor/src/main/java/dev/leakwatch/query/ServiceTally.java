package dev.leakwatch.query;

import dev.leakwatch.query.CatalogAnswers.Entry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a fan-out part gathers of one service while scanning its series: every instance counted and
 * its profile types and latest capture taken into the service's, but the entries of only the
 * instances of the page asked for kept, so a part stays bounded however many instances the service
 * has. Not thread-safe.
 */
final class ServiceTally {

  private final String service;
  private final InstancePage page;
  // distinct names: an instance's series (one key per kind) need not come one after another in key
  // order ("s/i/HEAP" sorts after "s/i/H/GOROUTINE"); no more than the previous release's part kept
  private final Set<String> instances = new HashSet<>();
  private final Set<String> types = new TreeSet<>();
  private long lastCaptureMs = Long.MIN_VALUE;
  private final TreeMap<String, List<Entry>> kept = new TreeMap<>();
  private boolean truncated;

  ServiceTally(String service, InstancePage page) {
    this.service = service;
    this.page = page;
  }

  void add(Entry e) {
    instances.add(e.instance());
    types.add(e.profileType());
    lastCaptureMs = Math.max(lastCaptureMs, e.lastCaptureMs());
    if (!page.admits(e.instance())) {
      return;
    }
    // keep the first page.limit() instances seen so far, dropping the greatest when one too many
    if (kept.size() >= page.limit() && !kept.containsKey(e.instance())
        && (kept.isEmpty() || e.instance().compareTo(kept.lastKey()) > 0)) {
      truncated = true;
      return;
    }
    kept.computeIfAbsent(e.instance(), k -> new ArrayList<>()).add(e);
    if (kept.size() > page.limit()) {
      kept.pollLastEntry();
      truncated = true;
    }
  }

  /**
   * Appends the kept entries, by instance name, to {@code out}: each instance's labels on its {@link
   * Entry#latest} entry only, so that a part carries them once per instance, not once per kind.
   */
  void entriesTo(List<Entry> out) {
    for (List<Entry> entries : kept.values()) {
      Entry latest = Entry.latest(entries);
      entries.forEach(e -> out.add(e == latest ? e : e.withoutLabels()));
    }
  }

  CatalogAnswers.Summary summary() {
    return new CatalogAnswers.Summary(service, instances.size(), truncated, List.copyOf(types), lastCaptureMs);
  }
}
