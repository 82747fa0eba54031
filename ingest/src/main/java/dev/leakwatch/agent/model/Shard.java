package dev.leakwatch.agent.model;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The share of a fleet's targets one agent scrapes, so that several agents can read the same target
 * list and split it without coordinating: agent {@code index} of {@code count} scrapes exactly the
 * targets whose identity hashes to {@code index}. The rule, stable across releases so that it can be
 * reproduced outside Leakwatch: the 64-bit FNV-1a hash of the UTF-8 bytes of {@code service/instance}
 * (the record key), as an unsigned number, modulo {@code count}. Every target belongs to exactly one
 * shard of a given count; changing the count moves most targets to another agent.
 *
 * @param index this agent's shard, {@code 0 <= index < count}
 * @param count agents that share the list, at least 1
 */
public record Shard(int index, int count) {

  /** One agent, every target. */
  public static final Shard ALL = new Shard(0, 1);

  /** Most agents one list may be split over. */
  public static final int MAX_COUNT = 10_000;

  public Shard {
    if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
      throw new IllegalArgumentException(problem(index, count).orElse("bad shard " + index + "/" + count));
    }
  }

  /**
   * Reads {@code INDEX/COUNT} (e.g. {@code 2/5}).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Shard parse(String text) {
    String t = text == null ? "" : text.trim();
    int slash = t.indexOf('/');
    IllegalArgumentException notAShard = new IllegalArgumentException("'" + text + "' is not INDEX/COUNT, e.g. 0/3");
    if (slash < 0) {
      throw notAShard;
    }
    int index;
    int count;
    try {
      index = Integer.parseInt(t.substring(0, slash));
      count = Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw notAShard;
    }
    Optional<String> p = problem(index, count);
    if (p.isPresent()) {
      throw new IllegalArgumentException("'" + text + "': " + p.get());
    }
    return new Shard(index, count);
  }

  private static Optional<String> problem(int index, int count) {
    if (count < 1 || count > MAX_COUNT) {
      return Optional.of("count must be 1 to " + MAX_COUNT + ", got " + count);
    }
    if (index < 0 || index >= count) {
      return Optional.of("index must be 0 to " + (count - 1) + " (count - 1), got " + index);
    }
    return Optional.empty();
  }

  /** Whether this shard scrapes the target {@code id}. */
  public boolean owns(TargetId id) {
    return count == 1 || Long.remainderUnsigned(fnv1a(id.recordKey()), count) == index;
  }

  /** The targets of {@code all} this shard scrapes, in their order. */
  public List<Target> select(Collection<Target> all) {
    return all.stream().filter(t -> owns(t.id())).toList();
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
