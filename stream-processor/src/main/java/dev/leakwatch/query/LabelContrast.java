package dev.leakwatch.query;

import dev.leakwatch.query.CatalogAnswers.LiveInstance;
import dev.leakwatch.query.CatalogAnswers.LiveService;
import dev.leakwatch.query.SuspectAnswers.Distinguishing;
import dev.leakwatch.query.SuspectAnswers.InstanceLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What sets a suspect's instances apart from the rest of its service: the label pairs ({@code
 * name=value}) that every suspect instance holds and fewer than all of the service's live instances
 * do. Computed from one page of the service's live instances with their labels, so a service of any
 * size costs at most {@link #MAX_COUNTED} instances' labels.
 *
 * <p>Contract: only live instances count (those of the service's lifecycle, as {@code .../instances}
 * lists them), and only those whose labels are known (not null; {@code {}} is known: no labels). A
 * suspect instance counts when it is among them. A label an instance did not keep (over the 16-label,
 * 1 KiB bound) is not known to be held: a truncated instance counts as not holding it.
 */
final class LabelContrast {

  /** Most live instances whose labels are read: the largest page of {@code .../instances}. */
  static final int MAX_COUNTED = InstancePage.MAX_LIMIT;
  /** Most suspect instances listed with their labels (about 110 KB at the label bound). */
  static final int MAX_LISTED = 100;

  private LabelContrast() {}

  /**
   * @param suspectInstances the suspect's instances (any order)
   * @param counted the first page of the service's live instances by name, with labels (null when unknown)
   */
  static SuspectAnswers.Labels of(List<String> suspectInstances, LiveService counted) {
    Map<String, LiveInstance> byName = new HashMap<>();
    counted.instances().forEach(i -> byName.put(i.instance(), i));
    TreeSet<String> names = new TreeSet<>(suspectInstances);
    List<InstanceLabels> listed = new ArrayList<>();
    for (String name : names) {
      if (listed.size() == MAX_LISTED) {
        break;
      }
      LiveInstance i = byName.get(name);
      listed.add(i == null ? new InstanceLabels(name, null, false)
          : new InstanceLabels(name, i.labels(), i.labelsTruncated()));
    }
    return new SuspectAnswers.Labels(counted.instanceCount(), counted.instances().size(),
        counted.instances().size() < counted.instanceCount(), listed, names.size() > MAX_LISTED,
        distinguishing(names, byName));
  }

  private static List<Distinguishing> distinguishing(TreeSet<String> suspect, Map<String, LiveInstance> live) {
    SortedMap<String, String> common = null;
    int suspectKnown = 0;
    for (String name : suspect) {
      LiveInstance i = live.get(name);
      if (i == null || i.labels() == null) {
        continue;
      }
      suspectKnown++;
      if (common == null) {
        common = new TreeMap<>(i.labels());
      } else {
        common.entrySet().retainAll(i.labels().entrySet());
      }
    }
    if (common == null || common.isEmpty()) {
      return List.of();
    }
    List<SortedMap<String, String>> known = live.values().stream().map(LiveInstance::labels)
        .filter(l -> l != null).toList();
    List<Distinguishing> out = new ArrayList<>();
    for (Map.Entry<String, String> pair : common.entrySet()) {
      int holding = (int) known.stream().filter(l -> pair.getValue().equals(l.get(pair.getKey()))).count();
      if (holding < known.size()) {
        out.add(new Distinguishing(pair.getKey(), pair.getValue(), suspectKnown, holding, known.size()));
      }
    }
    out.sort(Comparator.comparingInt(Distinguishing::serviceInstances).thenComparing(Distinguishing::name));
    return List.copyOf(out);
  }
}
