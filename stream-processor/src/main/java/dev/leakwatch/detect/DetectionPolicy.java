package dev.leakwatch.detect;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Objects;

/**
 * Which {@link DetectionConfig} judges each service: a base configuration and ordered per-service
 * rules, the first rule with a pattern matching the service winning. Fleets need this because one
 * setting rarely fits every service: a service whose caches fill for half an hour needs a longer
 * {@code warmup} than the fleet's, and a service whose growth is known and accepted can be left
 * unjudged without silencing everybody else.
 *
 * <p>A rule may change only what judges one instance's captures ({@link #PER_SERVICE_FIELDS}).
 * What shapes the stored series and the service-level lifecycle ({@code windowCaptures},
 * {@code maxTrackedSites}, {@code evidencePerInstance}, {@code maxReportedFrames}, {@code updateInterval},
 * {@code resolveAfter}, {@code instanceGoneAfter}) stays the base's for every service, so a series or a
 * suspect never depends on which rule matched when it was written; the constructor refuses a rule
 * that differs there.
 *
 * <p>A rule that turns judging off ({@link Rule#judged()} false) keeps the services' series, windows
 * and queries as before but reports no growth for them, so their open suspects resolve after
 * {@code resolveAfter} and no new one opens. Changing the rules takes effect at the next capture of
 * each instance, and stored state stays readable whatever they say: what earlier captures did under
 * the old settings (a series split at a gap, the sites tracked) stays as it was.
 *
 * <p>Immutable and thread-safe.
 */
public final class DetectionPolicy {
    /** The {@link DetectionConfig} fields a rule may set, by their names. */
    public static final List<String> PER_SERVICE_FIELDS = List.of("minCaptures", "minSpan", "maxGap",
            "minTrendZ", "heapMinBytesPerHour", "heapMinRelativePerHour", "heapMinRiseSamplingPeriods",
            "goroutineMinPerHour", "goroutineMinRelativePerHour", "goroutineMinRise", "minRecentRiseRatio",
            "goroutineResetDropFraction", "warmup", "warmupQuietSignificance");

    /** Most rules in one policy: each capture tries them in order. */
    public static final int MAX_RULES = 256;

    private final DetectionConfig base;
    private final List<Rule> rules;

    /**
     * One rule: the services it covers and how they are judged.
     *
     * @param services patterns, at least one; a service matching any of them is covered
     * @param config   the configuration judging the covered services (the base with this rule's
     *                 changes); equal to the base outside {@link #PER_SERVICE_FIELDS}
     * @param judged   false to report no growth for the covered services
     */
    public record Rule(List<ServicePattern> services, DetectionConfig config, boolean judged) {
        public Rule {
            services = List.copyOf(services);
            Objects.requireNonNull(config, "config");
            if (services.isEmpty()) {
                throw new IllegalArgumentException("services must name at least one pattern");
            }
        }

        /** Whether this rule covers {@code service}. */
        public boolean covers(String service) {
            for (ServicePattern p : services) {
                if (p.matches(service)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @throws IllegalArgumentException when there are more than {@link #MAX_RULES} rules, or a rule's
     *         configuration differs from {@code base} outside {@link #PER_SERVICE_FIELDS} (the message
     *         starts with the rule's index and the field)
     */
    public DetectionPolicy(DetectionConfig base, List<Rule> rules) {
        this.base = Objects.requireNonNull(base, "base");
        this.rules = List.copyOf(rules);
        if (this.rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("at most " + MAX_RULES + " rules, got " + this.rules.size());
        }
        for (int i = 0; i < this.rules.size(); i++) {
            String field = globalFieldDiffering(this.rules.get(i).config());
            if (field != null) {
                throw new IllegalArgumentException("rule " + i + ": " + field + " is the same for every service"
                        + " and cannot be set per service (per service: " + String.join(", ", PER_SERVICE_FIELDS) + ")");
            }
        }
    }

    /** A policy judging every service by {@code config}. */
    public static DetectionPolicy of(DetectionConfig config) {
        return new DetectionPolicy(config, List.of());
    }

    /** The configuration of services no rule covers, and the one of every global field. */
    public DetectionConfig base() {
        return base;
    }

    /** The rules, in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }

    /** The first rule covering {@code service}, or null when none does (the base applies). */
    public Rule ruleFor(String service) {
        for (Rule r : rules) {
            if (r.covers(service)) {
                return r;
            }
        }
        return null;
    }

    /** The configuration judging {@code service}: its first covering rule's, else the base. */
    public DetectionConfig configFor(String service) {
        return configOf(ruleFor(service));
    }

    /** Whether growth of {@code service} is judged at all (false when its first covering rule says so). */
    public boolean judges(String service) {
        return judged(ruleFor(service));
    }

    /** The configuration a {@link #ruleFor} answer stands for: the rule's, or the base for null. */
    public DetectionConfig configOf(Rule rule) {
        return rule == null ? base : rule.config();
    }

    /** Whether a {@link #ruleFor} answer judges growth: null (no rule) does. */
    public static boolean judged(Rule rule) {
        return rule == null || rule.judged();
    }

    /**
     * The per-service fields where {@code rule}'s configuration differs from the base, sorted by name:
     * durations as ISO-8601 strings ({@code PT30M}), numbers as they are.
     */
    public java.util.SortedMap<String, Object> changes(Rule rule) {
        java.util.SortedMap<String, Object> out = judging(rule.config());
        java.util.SortedMap<String, Object> base = judging(this.base);
        out.entrySet().removeIf(e -> Objects.equals(e.getValue(), base.get(e.getKey())));
        return out;
    }

    /**
     * The values of {@code c}'s {@link #PER_SERVICE_FIELDS} (what judges a capture), sorted by name: durations
     * as ISO-8601 strings, numbers as they are.
     */
    public static java.util.SortedMap<String, Object> judging(DetectionConfig c) {
        java.util.SortedMap<String, Object> out = new java.util.TreeMap<>();
        for (RecordComponent f : DetectionConfig.class.getRecordComponents()) {
            if (PER_SERVICE_FIELDS.contains(f.getName())) {
                Object v = read(f, c);
                out.put(f.getName(), v instanceof java.time.Duration d ? d.toString() : v);
            }
        }
        return out;
    }

    /**
     * 16 hex digits of SHA-256 over the judging settings in a normalized form: the base's {@link #judging}
     * values, then, rule by rule in order, its patterns (sorted, once each: a rule covers what any of them
     * matches), whether it judges, and its configuration's judging values. Equal policies have equal digests,
     * however their files spell them (key order, a value given at its default, the order of a rule's
     * patterns); the fields a rule may not set are left out. Processors running the same rules show the
     * same digest ({@code leakwatch_detection_rules_info}).
     */
    public String digest() {
        StringBuilder text = new StringBuilder("base ").append(judging(base));
        for (Rule r : rules) {
            java.util.SortedSet<String> patterns = new java.util.TreeSet<>();
            r.services().forEach(p -> patterns.add(p.toString()));
            text.append("\nrule ").append(patterns).append(' ').append(r.judged()).append(' ')
                    .append(judging(r.config()));
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Object read(RecordComponent f, DetectionConfig c) {
        try {
            return f.getAccessor().invoke(c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read DetectionConfig." + f.getName(), e);
        }
    }

    /**
     * One line saying what {@code rule} does, as the processor logs it at start:
     * {@code detection.services[0]: services [orders-*, billing] judged with {warmup=PT30M}}.
     */
    public String describe(Rule rule) {
        java.util.SortedMap<String, Object> changes = changes(rule);
        return "detection.services[" + rules.indexOf(rule) + "]: services " + rule.services() + " "
                + (rule.judged() ? "judged" : "not judged") + (changes.isEmpty() ? "" : " with " + changes);
    }

    /** Equal when the bases and the rules, in order, are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DetectionPolicy p && p.base.equals(base) && p.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return base.hashCode() * 31 + rules.hashCode();
    }

    @Override
    public String toString() {
        return "DetectionPolicy[base=" + base + ", rules=" + rules + "]";
    }

    /** The first field outside {@link #PER_SERVICE_FIELDS} where {@code c} differs from the base, or null. */
    private String globalFieldDiffering(DetectionConfig c) {
        for (RecordComponent f : DetectionConfig.class.getRecordComponents()) {
            if (!PER_SERVICE_FIELDS.contains(f.getName()) && !Objects.equals(read(f, c), read(f, base))) {
                return f.getName();
            }
        }
        return null;
    }
}
