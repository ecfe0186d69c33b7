package io.strata.db;

import io.strata.WriteBatch;
import java.util.concurrent.locks.Condition;

/** A caller waiting in the group-commit queue. Fields other than the finals are guarded by the DB mutex. */
final class Writer {
    /** Null for a request to swap the active memtable (used by flush). */
    final WriteBatch batch;

    final boolean sync;
    final Condition wakeup;
    boolean done;
    RuntimeException error;

    Writer(WriteBatch batch, boolean sync, Condition wakeup) {
        this.batch = batch;
        this.sync = sync;
        this.wakeup = wakeup;
    }
}
