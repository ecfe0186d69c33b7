package io.strata.fs;

import java.nio.file.AccessDeniedException;

/**
 * Words for I/O errors in messages to users. The JDK reports a full device (ENOSPC) or a
 * read-only one (EROFS) only through the operating system's text, and a refused permission
 * (EACCES) only by the file's name, so the engine recognises and names them here.
 */
public final class IoErrors {
    /** ENOSPC as Linux and macOS word it, and Windows' ERROR_DISK_FULL. */
    private static final String[] NO_SPACE = {"No space left on device", "There is not enough space on the disk"};

    private static final String READ_ONLY = "Read-only file system";

    private IoErrors() {}

    /** Whether {@code e} or one of its causes says the device is full. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            for (String text : NO_SPACE) {
                if (m != null && m.contains(text)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code e} or one of its causes is a refused permission or a read-only device. */
    public static boolean isNotWritable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException
                    || (t.getMessage() != null && t.getMessage().contains(READ_ONLY))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The error's message, prefixed with "the disk is full" when it is ENOSPC, and naming the
     * refused permission when it is EACCES (whose message is only the file's name).
     */
    public static String describe(Throwable e) {
        String m = e instanceof AccessDeniedException ? e.getMessage() + ": permission denied" : e.getMessage();
        return isNoSpace(e) ? "the disk is full (" + m + ")" : m;
    }
}
