package io.strata;

/** Per-write settings. */
public final class WriteOptions {
    private boolean sync;

    /**
     * When true the write returns only after it is on stable storage (the WAL is fsynced),
     * so it survives a power loss. When false (the default, unless {@link Options#syncWal})
     * an acknowledged write has reached the operating system and survives a process crash.
     */
    public WriteOptions sync(boolean sync) {
        this.sync = sync;
        return this;
    }

    public boolean sync() {
        return sync;
    }
}
