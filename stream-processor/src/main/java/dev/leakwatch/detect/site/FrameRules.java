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
     * The function a frame belongs to, without the suffixes Go gives the code it generates inside it:
     * closures ({@code .func1}, nested {@code .func1.2}), {@code go}/{@code defer} wrappers ({@code .gowrap1},
     * {@code .deferwrap1}), range-over-func loop bodies ({@code -range1}, Go 1.23) and method values
     * ({@code -fm}); the type arguments of generic instances are dropped, whether elided ({@code [...]},
     * Go 1.18 to 1.20) or spelled out as shapes ({@code [go.shape.string]}, Go 1.21 on; they may hold
     * package paths, dots and parentheses of their own). {@code app.(*Pool).run.func1.2},
     * {@code app.(*Pool).run-range1} and {@code app.(*Pool[...]).run} are all {@code app.(*Pool).run}.
     * A function literal of a package-level variable ({@code app.glob..func1} before Go 1.22,
     * {@code app.init.func1} since) keeps its name: each is a function of its own, and the package's
     * initialisation that "encloses" them is no code a developer would call one unit.
     */
    public static String enclosingFunction(String function) {
        String f = withoutTypeArguments(function);
        if (f.endsWith("-fm")) {
            f = f.substring(0, f.length() - 3);
        }
        int packageEnd = f.indexOf('.', f.lastIndexOf('/') + 1);
        boolean generated = false;
        while (packageEnd >= 0) {
            String shorter = withoutGeneratedSuffix(f, packageEnd);
            if (shorter == null || isPackageInitialisation(shorter, packageEnd)) {
                break;
            }
            f = shorter;
            generated = true;
        }
        return generated ? withoutRepeatedOuterName(f, packageEnd) : f;
    }

    /**
     * Go 1.24 names a closure nested in a closure after its outer function twice ({@code main.foo.foo.func1.func2},
     * deeper {@code main.foo.foo.func1.foo.foo.func1.func2.func3}): what is left once the generated suffixes
     * are gone starts with the outer function's name twice, and that function ({@code main.foo}) is the one
     * the code belongs to.
     */
    private static String withoutRepeatedOuterName(String f, int packageEnd) {
        String rest = f.substring(packageEnd + 1);
        int close = rest.startsWith("(*") ? rest.indexOf(')') : -1;
        int end = rest.indexOf('.', close < 0 ? 0 : close);
        if (close >= 0 && end >= 0) {
            end = rest.indexOf('.', end + 1); // a method: (*T).m
        }
        if (end < 0) {
            return f;
        }
        String outer = rest.substring(0, end);
        String twice = outer + "." + outer;
        boolean repeated = rest.equals(twice) || rest.startsWith(twice + ".");
        return repeated ? f.substring(0, packageEnd + 1) + outer : f;
    }

    /** {@code function} without its bracketed type argument lists (nested brackets included). */
    private static String withoutTypeArguments(String function) {
        if (function.indexOf('[') < 0) {
            return function;
        }
        StringBuilder sb = new StringBuilder(function.length());
        int depth = 0;
        for (int i = 0; i < function.length(); i++) {
            char c = function.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code f} without its last generated suffix ({@code .func1}, {@code -range2}...); null when it has none. */
    private static String withoutGeneratedSuffix(String f, int packageEnd) {
        int dash = f.lastIndexOf("-range");
        if (dash > packageEnd && isDigits(f.substring(dash + 6))) {
            return f.substring(0, dash);
        }
        int dot = f.lastIndexOf('.');
        return dot > packageEnd && isGeneratedSuffix(f.substring(dot + 1)) ? f.substring(0, dot) : null;
    }

    /** Whether {@code f} names what runs a package's variable initialisers: {@code pkg.glob.} or {@code pkg.init}. */
    private static boolean isPackageInitialisation(String f, int packageEnd) {
        String rest = f.substring(packageEnd + 1);
        return rest.equals("glob.") || rest.equals("init");
    }

    /**
     * The unit of code a frame belongs to: its package and receiver type for a method
     * ({@code app.(*Pool).run.func1} → {@code app.Pool}, {@code app.Point.String} → {@code app.Point}),
     * its package and function otherwise ({@code app.worker.func2} → {@code app.worker}).
     */
    public static String codeUnit(String function) {
        String f = enclosingFunction(function);
        int packageEnd = f.indexOf('.', f.lastIndexOf('/') + 1);
        if (packageEnd < 0) {
            return f;
        }
        String rest = f.substring(packageEnd + 1);
        if (rest.startsWith("glob..") || rest.startsWith("init.func")) {
            return f; // a package-level function literal is a unit of its own (see enclosingFunction)
        }
        if (rest.startsWith("(*")) {
            int close = rest.indexOf(')');
            return f.substring(0, packageEnd + 1) + (close < 0 ? rest.substring(2) : rest.substring(2, close));
        }
        int dot = rest.indexOf('.');
        return dot < 0 ? f : f.substring(0, packageEnd + 1 + dot);
    }

    private static boolean isGeneratedSuffix(String segment) {
        String digits = segment.startsWith("func") ? segment.substring(4)
                : segment.startsWith("gowrap") ? segment.substring(6)
                : segment.startsWith("deferwrap") ? segment.substring(9) : segment;
        return isDigits(digits);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
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
