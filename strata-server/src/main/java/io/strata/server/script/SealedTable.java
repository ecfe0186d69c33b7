package io.strata.server.script;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * A table scripts cannot change once it is sealed, as Redis 7 makes the globals and every
 * library table read-only: a write, raw or not, a table function that moves entries, and a new
 * metatable all fail with Redis's "Attempt to modify a readonly table". The server fills it
 * before sealing and changes only KEYS and ARGV afterwards ({@link #put}).
 *
 * <p>It is a {@link Globals} so that it can also be the scripts' environment: luaj finds its
 * instruction hook (which bounds a script) and error handler through a closure's environment,
 * and only when that is a Globals.
 *
 * <p>Confined to the thread running a script (the sandbox's lock).
 */
final class SealedTable extends Globals {
    static final String READONLY = "Attempt to modify a readonly table";

    /** False while the server fills the table, and during {@link #put}. */
    private boolean sealed;

    /** Seals the table: from now on scripts cannot change it. */
    SealedTable seal() {
        sealed = true;
        return this;
    }

    /** Sets an entry of a sealed table, for the server (KEYS and ARGV before each script). */
    void put(String key, LuaValue value) {
        sealed = false;
        try {
            rawset(LuaValue.valueOf(key), value);
        } finally {
            sealed = true;
        }
    }

    /**
     * Refuses a change of a sealed table: with the position of the script's line for an
     * assignment ({@code x = 1}), without one for a library function (rawset, setmetatable,
     * table.insert), as Redis words each.
     */
    private void refuseIfSealed(boolean assignment) {
        if (sealed) {
            throw assignment ? new LuaError(READONLY) : new LuaErrors.Unpositioned(LuaValue.valueOf(READONLY));
        }
    }

    private void refuseIfSealed() {
        refuseIfSealed(false);
    }

    @Override
    public void set(int key, LuaValue value) {
        refuseIfSealed(true);
        super.set(key, value);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        refuseIfSealed(true);
        super.set(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        refuseIfSealed();
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        refuseIfSealed();
        super.rawset(key, value);
    }

    @Override
    public void hashset(LuaValue key, LuaValue value) {
        refuseIfSealed();
        super.hashset(key, value);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        refuseIfSealed();
        super.insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        refuseIfSealed();
        return super.remove(pos);
    }

    @Override
    public void sort(LuaValue comparator) {
        refuseIfSealed();
        super.sort(comparator);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        refuseIfSealed();
        return super.setmetatable(metatable);
    }
}
