package dev.leakwatch.detect.lifecycle;

import dev.leakwatch.detect.Site;
import java.util.HexFormat;

/** Stable suspect ids. */
public final class SuspectIds {
    private SuspectIds() {
    }

    /**
     * The suspect id of a site in a service: the first 16 bytes of SHA-256 over the service name and the
     * site's identity key (kind, wait reason, function names from the blamed frame to the root), as 32
     * lowercase hex digits. The same service, kind and site stack always give the same id, across
     * processor restarts and releases.
     */
    public static String of(String service, Site site) {
        byte[] digest = Site.sha256(service + '\n' + site.key());
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
