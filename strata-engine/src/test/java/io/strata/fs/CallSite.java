package io.strata.fs;

import io.strata.util.FileNames;
import java.nio.file.Path;
import java.util.List;

/**
 * Where in the engine a file-system operation comes from: the operation, the kind of file, the
 * first stack frame outside this package (the code that made the call) and, when that frame is
 * below the engine package ({@code LogWriter}, {@code TableBuilder}...), the first frame in
 * {@code io.strata.db} (which of the engine's paths used it: a flush, a compaction, an open).
 */
public record CallSite(FaultInjectionFileSystem.Op op, String fileKind, String frame, String via) {
    private static final String FS_PACKAGE = CallSite.class.getPackageName() + ".";
    private static final String ENGINE_PACKAGE = "io.strata.db.";
    private static final StackWalker WALKER = StackWalker.getInstance();

    /** The call site of {@code op} on {@code path}, taken from the calling thread's stack. */
    public static CallSite of(FaultInjectionFileSystem.Op op, Path path) {
        // Below the file system's frames are the hook's (the test's own); above them the caller's.
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.dropWhile(
                        f -> !f.getClassName().startsWith(FaultInjectionFileSystem.class.getName()))
                .dropWhile(f -> f.getClassName().startsWith(FS_PACKAGE))
                .toList());
        if (frames.isEmpty()) {
            return new CallSite(op, fileKind(path), "?", "");
        }
        StackWalker.StackFrame first = frames.get(0);
        String via = "";
        if (!first.getClassName().startsWith(ENGINE_PACKAGE)) {
            via = frames.stream()
                    .filter(f -> f.getClassName().startsWith(ENGINE_PACKAGE))
                    .findFirst()
                    .map(CallSite::describe)
                    .orElse("");
        }
        return new CallSite(op, fileKind(path), describe(first), via);
    }

    private static String describe(StackWalker.StackFrame f) {
        String cls = f.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethodName() + ":" + f.getLineNumber();
    }

    private static String fileKind(Path path) {
        Path name = path.getFileName();
        FileNames.Parsed p = name == null ? null : FileNames.parse(name.toString());
        return p == null ? "other" : p.kind().name();
    }

    @Override
    public String toString() {
        return op + " " + fileKind + " at " + frame + (via.isEmpty() ? "" : " via " + via);
    }
}
