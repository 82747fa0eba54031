package dev.leakwatch.detect.site;

import dev.leakwatch.pprof.Location;
import dev.leakwatch.pprof.Profile;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small dense numbers for the locations of one profile, so that per-profile work keyed by location
 * (what its frames say, their hashes) lives in plain arrays indexed by slot instead of maps probed
 * once per stack entry.
 *
 * <p>Go numbers its locations 1..N, so a location's slot is normally its id. Any location that is not
 * the table's entry for its id (sparse or repeated ids, a sample built outside the profile) gets a slot
 * of its own past the dense range, by identity. Slots are below {@link #capacity()}, which may grow as
 * such locations are met. Not thread-safe: one per profile and thread.
 */
public final class LocationSlots {
  private final Location[] byId;
  private Map<Location, Integer> others;
  private int capacity;
  private final boolean tableByIds;

  /** Slots for the locations of {@code profile}. */
  public LocationSlots(Profile profile) {
    List<Location> table = profile.locations();
    long limit = 2L * table.size() + 16;
    Location[] dense = new Location[(int) Math.min(limit, Integer.MAX_VALUE - 8)];
    int placed = 0;
    for (Location l : table) {
      long id = l.id();
      if (id > 0 && id < dense.length && dense[(int) id] == null) {
        dense[(int) id] = l;
        placed++;
      }
    }
    this.byId = dense;
    this.tableByIds = placed == table.size();
    this.capacity = dense.length;
  }

  /** The slot of {@code location}: the same for the same object, distinct for distinct objects. */
  public int slot(Location location) {
    long id = location.id();
    if (id > 0 && id < byId.length && byId[(int) id] == location) {
      return (int) id;
    }
    if (others == null) {
      others = new IdentityHashMap<>();
    }
    Integer s = others.get(location);
    if (s == null) {
      s = capacity++;
      others.put(location, s);
    }
    return s;
  }

  /**
   * True when the slot of every location of the profile's table is its id (ids positive, distinct
   * and dense enough), so that a stack entry known by its location id needs no lookup.
   */
  public boolean tableSlotsAreIds() {
    return tableByIds;
  }

  /** One more than the highest slot handed out so far (arrays of this size hold every slot). */
  public int capacity() {
    return capacity;
  }
}
