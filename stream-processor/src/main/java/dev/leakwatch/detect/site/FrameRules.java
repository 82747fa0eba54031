package dev.leakwatch.detect.site;

import dev.leakwatch.detect.WaitReason;
import java.util.List;
import java.util.Set;

/**
 * How Go function names are read: which frames are runtime machinery (never blamed) and what a blocked
 * goroutine waits on. Names are full Go symbols as the runtime writes them.
 */
public final class FrameRules {
    private FrameRules() {
    }

    /** Top-level package names of the Go standard library (Go 1.19 to 1.24). */
    private static final Set<String> STD_ROOTS = Set.of("archive", "bufio", "builtin", "bytes", "cmp", "compress",
            "container", "context", "crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag",
            "fmt", "go", "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math", "mime",
            "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort", "strconv", "strings",
            "structs", "sync", "syscall", "testing", "text", "time", "unicode", "unique", "unsafe", "vendor", "weak");

    /**
     * Index of the frame to blame in a stack (leaf first): the first frame of the program's own code (neither
     * machinery nor standard library), else the first frame that is not machinery, else the leaf. Blaming
     * the program's code rather than {@code strings.(*Builder).WriteString} folds the helper allocations of
     * one function into one site and names the code a developer can change; the full stack is reported too.
     */
    public static int blamedIndex(List<String> functions) {
        int firstNonMachinery = -1;
        for (int i = 0; i < functions.size(); i++) {
            String f = functions.get(i);
            if (isMachinery(f)) {
                continue;
            }
            if (!isStandardLibrary(f)) {
                return i;
            }
            if (firstNonMachinery < 0) {
                firstNonMachinery = i;
            }
        }
        return Math.max(firstNonMachinery, 0);
    }

    /**
     * True when a function belongs to the Go standard library: its package path's first element is a
     * standard top-level package ({@code net/http.(*conn).serve}, {@code strings.Repeat}). {@code main}
     * and module paths ({@code example.com/...}) are the program's own code.
     */
    public static boolean isStandardLibrary(String function) {
        int slash = function.lastIndexOf('/');
        int dot = function.indexOf('.', slash + 1);
        String pkg = dot < 0 ? function : function.substring(0, dot);
        int firstSlash = pkg.indexOf('/');
        String root = firstSlash < 0 ? pkg : pkg.substring(0, firstSlash);
        return STD_ROOTS.contains(root);
    }

    /**
     * Runtime and standard-library machinery that allocates or parks on behalf of its caller: the
     * {@code runtime} package and its internals, {@code internal/...} packages, {@code sync} (pool pins,
     * map entries, mutex and wait-group parking) and {@code time.Sleep}. The frame to blame is the first
     * one, from the leaf, that is not machinery.
     */
    public static boolean isMachinery(String function) {
        return function.startsWith("runtime.")
                || function.startsWith("runtime/internal/")
                || function.startsWith("internal/")
                || function.startsWith("sync.")
                || function.startsWith("sync/atomic.")
                || function.equals("time.Sleep");
    }

    /**
     * Classifies one frame of a blocked goroutine's stack, or returns null when the frame says nothing
     * about the wait (e.g. {@code runtime.gopark} itself).
     */
    public static WaitReason waitReasonOf(String function) {
        if (function.startsWith("runtime.chansend")) {
            return WaitReason.CHAN_SEND;
        }
        if (function.startsWith("runtime.chanrecv")) {
            return WaitReason.CHAN_RECEIVE;
        }
        if (function.equals("runtime.selectgo") || function.equals("runtime.block")) {
            return WaitReason.SELECT; // runtime.block is an empty select{}
        }
        if (function.startsWith("runtime.semacquire") || function.startsWith("sync.runtime_Semacquire")
                || function.startsWith("sync.runtime_notifyListWait") || function.equals("runtime.notifyListWait")
                || function.startsWith("sync.(*Mutex).") || function.startsWith("sync.(*RWMutex).")
                || function.equals("sync.(*WaitGroup).Wait") || function.equals("sync.(*Cond).Wait")) {
            return WaitReason.LOCK;
        }
        if (function.startsWith("internal/poll.") || function.startsWith("runtime.netpoll")) {
            return WaitReason.IO;
        }
        if (function.equals("time.Sleep") || function.equals("runtime.timeSleep")) {
            return WaitReason.SLEEP;
        }
        return null;
    }
}
