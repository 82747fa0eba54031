package dev.leakwatch.detect;

import dev.leakwatch.pprof.Frame;
import java.util.ArrayList;
import java.util.List;
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

    /** The frames of a decoded stack, leaf first, as reported frames. */
    public static List<SiteFrame> of(List<Frame> stack) {
        List<SiteFrame> out = new ArrayList<>(stack.size());
        for (Frame f : stack) {
            out.add(new SiteFrame(f.function(), f.file(), f.line()));
        }
        return out;
    }
}
