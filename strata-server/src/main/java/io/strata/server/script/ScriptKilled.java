package io.strata.server.script;

/**
 * Stops a script that SCRIPT KILL asked to stop. An Error, not an exception, so that no pcall
 * in the script can catch it: luaj's pcall and its interpreter catch only exceptions.
 */
// It carries nothing but the line it stopped on.
@SuppressWarnings("serial")
final class ScriptKilled extends Error {
    /** The script's line it stopped on, or "?" if not known. */
    final String line;

    ScriptKilled(String line) {
        super("Script killed by user with SCRIPT KILL...", null, false, false);
        this.line = line;
    }
}
