package dev.leakwatch.detect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * A place that can leak: a heap allocation stack or a goroutine stack, with the frame to blame.
 *
 * <p>Identity ({@link #key()}, {@link #id()}, {@code equals}) is the kind, the wait reason and the
 * <em>function names</em> from the blamed frame to the root. Frames above the blamed one (runtime
 * allocation or scheduling machinery, standard-library helpers) and line numbers are left out on purpose:
 * the same leak reached through {@code runtime.mapassign} or {@code strings.(*Builder).Grow} or directly,
 * or through two statements of one function, is one site, and a rebuild that shifts lines does not create
 * a new suspect.
 *
 * <p>Immutable and thread-safe.
 */
public final class Site {
    private final SuspectKind kind;
    private final List<SiteFrame> stack;
    private final int siteIndex;
    private final WaitReason waitReason;
    private final List<String> identity;
    private final long id;
    private volatile String key;

    /**
     * @param kind       heap or goroutine; never null
     * @param stack      the full stack, leaf first, inlined frames expanded; not empty
     * @param siteIndex  index in {@code stack} of the blamed frame
     * @param waitReason what the goroutines wait on; null for heap sites
     */
    public Site(SuspectKind kind, List<SiteFrame> stack, int siteIndex, WaitReason waitReason) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.stack = List.copyOf(stack);
        if (this.stack.isEmpty()) {
            throw new IllegalArgumentException("a site needs at least one frame");
        }
        if (siteIndex < 0 || siteIndex >= this.stack.size()) {
            throw new IllegalArgumentException("site index " + siteIndex + " outside stack of " + this.stack.size());
        }
        if ((kind == SuspectKind.GOROUTINE) != (waitReason != null)) {
            throw new IllegalArgumentException("a wait reason is required for goroutine sites and only for them");
        }
        this.siteIndex = siteIndex;
        this.waitReason = waitReason;
        this.identity = this.stack.subList(siteIndex, this.stack.size()).stream().map(SiteFrame::function).toList();
        this.id = memoizedId(new IdentityParts(kind, waitReason, identity));
    }

    private record IdentityParts(SuspectKind kind, WaitReason waitReason, List<String> blamedToRoot) {}

    // Every capture of a service shows the same few hundred sites again, and detection rebuilds its
    // tracked sites from state on every capture: hashing each identity once per process instead of
    // once per capture took SHA-256 and key building off the top of the topology's profile. Keyed
    // by the parts (whose function strings cache their hash codes), not by the joined key string.
    // Bounded: emptied when full (each entry holds ~1-2 KB of function names).
    private static final BoundedMemo<IdentityParts, Long> ID_MEMO = new BoundedMemo<>(20_000);

    private static long memoizedId(IdentityParts parts) {
        return ID_MEMO.get(parts, p -> idOf(keyOf(p.kind(), p.waitReason(), p.blamedToRoot())));
    }

    /**
     * The identity key of a site from its parts, without building frames. {@code blamedToRoot} lists the
     * function names from the blamed frame to the root.
     */
    public static String keyOf(SuspectKind kind, WaitReason waitReason, List<String> blamedToRoot) {
        StringBuilder sb = new StringBuilder(kind.name());
        sb.append('|').append(waitReason == null ? "" : waitReason.name());
        for (String f : blamedToRoot) {
            sb.append('|').append(f);
        }
        return sb.toString();
    }

    /** 64-bit id of a key: the first 8 bytes of its SHA-256. Stable across processes and releases. */
    public static long idOf(String key) {
        return ByteBuffer.wrap(sha256(key)).getLong();
    }

    /** SHA-256 of a string's UTF-8 bytes. */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    public SuspectKind kind() {
        return kind;
    }

    /** Full stack, leaf first. */
    public List<SiteFrame> stack() {
        return stack;
    }

    /** Index of the blamed frame in {@link #stack()}. */
    public int siteIndex() {
        return siteIndex;
    }

    /** The blamed frame: allocating function (heap) or first non-runtime frame (goroutines). */
    public SiteFrame frame() {
        return stack.get(siteIndex);
    }

    /** What the goroutines wait on; null for heap sites. */
    public WaitReason waitReason() {
        return waitReason;
    }

    /** Identity key: kind, wait reason, function names from the blamed frame to the root. */
    public String key() {
        String k = key;
        if (k == null) {
            k = keyOf(kind, waitReason, identity);
            key = k;
        }
        return k;
    }

    /** 64-bit identity derived from {@link #key()}; what series state stores. */
    public long id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Site s && s.id == id && s.kind == kind && s.waitReason == waitReason
                && s.identity.equals(identity);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return kind + " site " + frame().function() + (waitReason == null ? "" : " (" + waitReason.label() + ")");
    }
}
