package io.strata.server.script;

/** What a running script asks of the server: to run its commands, and whether its user may run one. */
public interface ScriptHost {
    /**
     * Runs one of the script's commands (redis.call, redis.pcall) and returns its reply as RESP
     * bytes in {@code protocol} (an error reply too: the server's refusals, such as an unknown
     * command, are error replies).
     */
    byte[] call(byte[][] argv, int protocol);

    /** redis.acl_check_cmd: whether the script's user may run {@code argv}; null if no such command. */
    Boolean permitted(byte[][] argv);
}
