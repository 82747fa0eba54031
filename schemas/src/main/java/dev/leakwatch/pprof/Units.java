package dev.leakwatch.pprof;

import java.util.List;
import java.util.Locale;

/**
 * pprof's unit scaling: memory (B … PB, powers of 1024), time (ns … hrs) and GCU units, with the
 * aliases pprof accepts, so values print as {@code 512.19kB} or {@code 1.50MB}.
 */
final class Units {
  private record Unit(String name, List<String> aliases, double factor) {}

  private record Family(Unit defaultUnit, List<Unit> units) {
    /** The unit an alias names, after lower-casing and dropping one plural "s". */
    Unit sniff(String alias) {
      String a = alias.toLowerCase(Locale.ROOT);
      if (a.length() > 2 && a.endsWith("s")) {
        a = a.substring(0, a.length() - 1);
      }
      for (Unit u : units) {
        if (u.aliases.contains(a)) {
          return u;
        }
      }
      return null;
    }
  }

  /** A scaled value and the unit it is now in ("" when the unit is not worth printing). */
  record Scaled(double value, String unit) {}

  private static final List<Family> FAMILIES = List.of(
      new Family(new Unit("B", List.of("b", "byte"), 1), List.of(
          new Unit("B", List.of("b", "byte"), 1),
          new Unit("kB", List.of("kb", "kbyte", "kilobyte"), 1L << 10),
          new Unit("MB", List.of("mb", "mbyte", "megabyte"), 1L << 20),
          new Unit("GB", List.of("gb", "gbyte", "gigabyte"), 1L << 30),
          new Unit("TB", List.of("tb", "tbyte", "terabyte"), 1L << 40),
          new Unit("PB", List.of("pb", "pbyte", "petabyte"), 1L << 50))),
      new Family(new Unit("s", List.of(), 1e9), List.of(
          new Unit("ns", List.of("ns", "nanosecond"), 1),
          new Unit("us", List.of("μs", "us", "microsecond"), 1e3),
          new Unit("ms", List.of("ms", "millisecond"), 1e6),
          new Unit("s", List.of("s", "sec", "second"), 1e9),
          new Unit("hrs", List.of("hour", "hr"), 3600e9))),
      new Family(new Unit("GCU", List.of(), 1), List.of(
          new Unit("n*GCU", List.of("nanogcu"), 1e-9),
          new Unit("u*GCU", List.of("microgcu"), 1e-6),
          new Unit("m*GCU", List.of("milligcu"), 1e-3),
          new Unit("GCU", List.of("gcu"), 1),
          new Unit("k*GCU", List.of("kilogcu"), 1e3),
          new Unit("M*GCU", List.of("megagcu"), 1e6),
          new Unit("G*GCU", List.of("gigagcu"), 1e9),
          new Unit("T*GCU", List.of("teragcu"), 1e12),
          new Unit("P*GCU", List.of("petagcu"), 1e15))));

  private Units() {}

  /**
   * Converts {@code value} from {@code fromUnit} to {@code toUnit}; {@code "minimum"} or {@code
   * "auto"} picks the largest unit in which the value is at least 1.
   */
  static Scaled scale(long value, String fromUnit, String toUnit) {
    if (value < 0 && -value > 0) {
      Scaled s = scale(-value, fromUnit, toUnit);
      return new Scaled(-s.value, s.unit);
    }
    for (Family f : FAMILIES) {
      Unit from = f.sniff(fromUnit);
      if (from == null) {
        continue;
      }
      double v = value * from.factor;
      if (toUnit.equals("minimum") || toUnit.equals("auto")) {
        return autoScale(f, v);
      }
      Unit to = f.sniff(toUnit);
      Unit target = to != null ? to : f.defaultUnit;
      return new Scaled(v / target.factor, target.name);
    }
    return switch (toUnit) {
      case "count", "sample", "unit", "minimum", "auto" -> new Scaled(value, "");
      default -> new Scaled(value, toUnit);
    };
  }

  private static Scaled autoScale(Family f, double v) {
    Unit best = null;
    for (Unit u : f.units) {
      if ((best == null || u.factor >= best.factor) && v / u.factor >= 1.0) {
        best = u;
      }
    }
    Unit target = best != null ? best : f.defaultUnit;
    return new Scaled(v / target.factor, target.name);
  }

  /** {@code value} scaled and printed with two decimals (".00" dropped), e.g. "1.50MB", "0". */
  static String label(long value, String fromUnit, String toUnit) {
    Scaled s = scale(value, fromUnit, toUnit);
    String v = GoFormat.fixed2(s.value);
    if (v.endsWith(".00")) {
      v = v.substring(0, v.length() - 3);
    }
    if (v.equals("0") || v.equals("-0")) {
      return "0";
    }
    return v + s.unit;
  }
}
