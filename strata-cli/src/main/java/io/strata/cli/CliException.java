package io.strata.cli;

/**
 * A failure the user can act on (a missing file, a directory that holds no store, corruption
 * found): reported as one line on stderr, without a stack trace, with its own exit code.
 */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
