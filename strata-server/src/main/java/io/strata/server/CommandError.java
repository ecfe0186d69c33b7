package io.strata.server;

/**
 * A command's error reply. The message is the whole reply text after the {@code -}, starting
 * with the error code as Redis sends it: {@code ERR syntax error}, {@code NOAUTH ...}.
 */
// The shared instances have no stack trace, cause or suppressed exceptions: nothing in them changes.
@SuppressWarnings("StaticAssignmentOfThrowable")
final class CommandError extends RuntimeException {
    CommandError(String reply) {
        super(reply, null, false, false);
    }

    static final CommandError SYNTAX = new CommandError("ERR syntax error");
    static final CommandError NOT_INTEGER = new CommandError("ERR value is not an integer or out of range");
    static final CommandError NOT_FLOAT = new CommandError("ERR value is not a valid float");
    static final CommandError TOO_BIG =
            new CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    static final CommandError BIT_OFFSET = new CommandError("ERR bit offset is not an integer or out of range");
    static final CommandError NOAUTH = new CommandError("NOAUTH Authentication required.");
    static final CommandError WRONGPASS =
            new CommandError("WRONGPASS invalid username-password pair or user is disabled.");

    static CommandError arity(String fullName) {
        return new CommandError("ERR wrong number of arguments for '" + fullName + "' command");
    }

    static CommandError unknownSubcommand(String sub, String command) {
        return new CommandError("ERR unknown subcommand '" + Request.abbreviate(sub, 128) + "'. Try "
                + command.toUpperCase(java.util.Locale.ROOT) + " HELP.");
    }
}
