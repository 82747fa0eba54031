package dev.leakwatch.detect;

import dev.leakwatch.naming.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A service-name pattern of a {@link DetectionPolicy} rule: {@code *} stands for any run of characters
 * (none included), every other character stands for itself, case-sensitively, and the pattern must
 * match the whole name. {@code orders-*} matches {@code orders-api} and {@code orders-}, not
 * {@code eu-orders-api}; {@code *} matches every service.
 *
 * <p>Immutable and thread-safe. Matching takes each literal run at its leftmost place after the
 * previous one, which is exact for patterns whose only wildcard is {@code *}: no backtracking.
 */
public final class ServicePattern {
    private final String text;
    /** The literal runs between the stars, in order. */
    private final String[] parts;

    private ServicePattern(String text) {
        this.text = text;
        List<String> runs = new ArrayList<>();
        int from = 0;
        for (int star = text.indexOf('*'); star >= 0; star = text.indexOf('*', from)) {
            runs.add(text.substring(from, star));
            from = star + 1;
        }
        runs.add(text.substring(from));
        this.parts = runs.toArray(String[]::new);
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException when the pattern, with its stars read as letters, is not a valid
     *         service name ({@link Names}): such a pattern could never match a service that gets in
     */
    public static ServicePattern of(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        Names.problem(Names.Kind.SERVICE, pattern.replace('*', 'x')).ifPresent(p -> {
            throw new IllegalArgumentException("service pattern " + Names.quote(pattern) + ": " + p);
        });
        return new ServicePattern(pattern);
    }

    /** Whether {@code service} matches the whole pattern. */
    public boolean matches(String service) {
        int n = parts.length;
        if (n == 1) {
            return text.equals(service);
        }
        String first = parts[0];
        String last = parts[n - 1];
        if (service.length() < first.length() + last.length()
                || !service.startsWith(first) || !service.endsWith(last)) {
            return false;
        }
        int at = first.length();
        int end = service.length() - last.length();
        for (int i = 1; i < n - 1; i++) {
            int found = service.indexOf(parts[i], at);
            if (found < 0 || found + parts[i].length() > end) {
                return false;
            }
            at = found + parts[i].length();
        }
        return true;
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServicePattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
