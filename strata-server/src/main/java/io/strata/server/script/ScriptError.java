package io.strata.server.script;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * An error a script replied with, raised or returned: its text, and whether the error statistics
 * have counted it already, as Redis marks the error of a command the script called
 * ({@code ignore_error_stats_update}, which redis.call and redis.pcall set on the error table).
 * Either way the script's command (EVAL, ...) counts as failed.
 */
public record ScriptError(String text, boolean counted) {
    /** The field Redis sets on a called command's error table: its error is counted already. */
    static final String COUNTED_FIELD = "ignore_error_stats_update";

    /** Whether an error table ({@code {err=...}}) is a called command's, counted already. */
    static boolean counted(LuaValue errorTable) {
        return errorTable instanceof LuaTable t && t.rawget(COUNTED_FIELD).toboolean();
    }
}
