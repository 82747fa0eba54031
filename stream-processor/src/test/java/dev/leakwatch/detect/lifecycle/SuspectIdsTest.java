package dev.leakwatch.detect.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.SuspectKind;
import dev.leakwatch.detect.WaitReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuspectIdsTest {
    private static Site site(SuspectKind kind, long line, String... functions) {
        List<SiteFrame> frames = java.util.Arrays.stream(functions).map(f -> new SiteFrame(f, "a.go", line)).toList();
        return new Site(kind, frames, 0, kind == SuspectKind.GOROUTINE ? WaitReason.SELECT : null);
    }

    @Test
    void shouldHashServiceKindAndTheStackFromTheBlamedFrame() throws Exception {
        Site s = site(SuspectKind.HEAP, 10, "example.com/a.f", "main.main");
        // the documented recipe: SHA-256 of "<service>\n<kind>|<wait>|<functions...>", first 16 bytes in hex
        byte[] d = MessageDigest.getInstance("SHA-256")
                .digest("svc\nHEAP||example.com/a.f|main.main".getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(d, 0, 16), SuspectIds.of("svc", s));
        assertEquals(32, SuspectIds.of("svc", s).length());
    }

    @Test
    void shouldNotDependOnLineNumbersButOnServiceKindAndStack() {
        Site a = site(SuspectKind.HEAP, 10, "example.com/a.f", "main.main");
        assertEquals(SuspectIds.of("svc", a), SuspectIds.of("svc", site(SuspectKind.HEAP, 99, "example.com/a.f", "main.main")));
        assertNotEquals(SuspectIds.of("svc", a), SuspectIds.of("other", a));
        assertNotEquals(SuspectIds.of("svc", a), SuspectIds.of("svc", site(SuspectKind.GOROUTINE, 10, "example.com/a.f", "main.main")));
        assertNotEquals(SuspectIds.of("svc", a), SuspectIds.of("svc", site(SuspectKind.HEAP, 10, "example.com/a.f", "main.run")));
        assertTrue(SuspectIds.of("svc", a).matches("[0-9a-f]{32}"));
    }
}
