package dev.leakwatch.query;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.topology.TopologyNames;
import dev.leakwatch.topology.window.StackDictionary;
import dev.leakwatch.detect.site.StackIds;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The frames of a service's stacks, from the {@code stack-dictionary} store (same partition as the
 * service's windows). A few ids are looked up one by one; many are read in one scan of the
 * service's dictionary. Stacks without an entry (folded into "other" when first seen, or an
 * unreadable entry) get a single placeholder frame naming the id, so nothing is silently dropped.
 */
final class FrameLookup {

  /** Up to this many ids are looked up by key; more are read with one prefix scan. */
  static final int POINT_LOOKUPS = 256;
  /** Function name of the frame standing for {@link StackIds#OTHER}. */
  static final String OTHER_FUNCTION = "(other stacks)";
  /** Function name of the frame standing for a sample without any frame (Go writes a few). */
  static final String EMPTY_FUNCTION = "(no frames)";

  private final LocalStores stores;

  FrameLookup(LocalStores stores) {
    this.stores = stores;
  }

  /** Frames (leaf first) of each of {@code ids}; every id gets an entry. */
  Map<Long, List<SiteFrame>> frames(String service, int partition, Collection<Long> ids) {
    Map<Long, List<SiteFrame>> out = new HashMap<>();
    Set<Long> wanted = new HashSet<>(ids);
    if (wanted.remove(StackIds.OTHER)) {
      out.put(StackIds.OTHER, List.of(new SiteFrame(OTHER_FUNCTION, "", 0)));
    }
    if (wanted.size() <= POINT_LOOKUPS) {
      for (long id : wanted) {
        decode(stores.get(TopologyNames.STACK_DICTIONARY_STORE, partition, StackDictionary.key(service, id)))
            .ifPresent(f -> out.put(id, f));
      }
    } else {
      String prefix = StackDictionary.prefix(service);
      stores.range(TopologyNames.STACK_DICTIONARY_STORE, Set.of(partition), prefix, prefix + "g", (key, value) -> {
        OptionalLong id = StackDictionary.idOf(service, key);
        if (id.isPresent() && wanted.contains(id.getAsLong())) {
          decode(value).ifPresent(f -> out.put(id.getAsLong(), f));
        }
      });
    }
    for (long id : wanted) {
      out.computeIfAbsent(id, k -> List.of(new SiteFrame("(unknown stack " + hex(k) + ")", "", 0)));
    }
    return out;
  }

  static String hex(long id) {
    return HexFormat.of().toHexDigits(id);
  }

  private static java.util.Optional<List<SiteFrame>> decode(byte[] bytes) {
    if (bytes == null) {
      return java.util.Optional.empty();
    }
    try {
      List<SiteFrame> frames = StackDictionary.decode(bytes);
      return java.util.Optional.of(frames.isEmpty() ? List.of(new SiteFrame(EMPTY_FUNCTION, "", 0)) : frames);
    } catch (StateFormatException e) {
      return java.util.Optional.empty();
    }
  }
}
