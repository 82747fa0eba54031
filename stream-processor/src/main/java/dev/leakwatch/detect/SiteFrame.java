package dev.leakwatch.detect;

import java.util.Objects;

/**
 * One frame of a reported stack.
 *
 * @param function full Go symbol name, e.g. {@code example.com/pkg.(*Type).Method}; never null
 * @param file     source file path as recorded by the Go runtime; empty when unknown, never null
 * @param line     line number, 0 when unknown
 */
public record SiteFrame(String function, String file, long line) {
    public SiteFrame {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(file, "file");
    }
}
