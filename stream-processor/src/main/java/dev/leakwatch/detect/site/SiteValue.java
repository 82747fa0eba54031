package dev.leakwatch.detect.site;

import dev.leakwatch.detect.Site;
import java.util.Objects;

/**
 * A site's value in one capture: in-use bytes (heap) or goroutine count, summed over every sample whose
 * stack maps to the site.
 */
public record SiteValue(Site site, long value) {
    public SiteValue {
        Objects.requireNonNull(site, "site");
        if (value < 0) {
            throw new IllegalArgumentException("negative site value " + value);
        }
    }
}
