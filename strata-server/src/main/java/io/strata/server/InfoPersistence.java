package io.strata.server;

/**
 * INFO persistence: every acknowledged write is in the WAL, so Redis's AOF is "on" and always
 * written; SAVE and BGSAVE flush the memtables (rdb_* report those); there is no fork and no
 * rewrite.
 */
final class InfoPersistence {
    private InfoPersistence() {}

    static void append(InfoText out, Request r) {
        StrataServer s = r.server;
        out.title("Persistence")
                .line("loading", 0)
                .line("async_loading", 0)
                .line("current_cow_peak", 0)
                .line("current_cow_size", 0)
                .line("current_cow_size_age", 0)
                .line("current_fork_perc", "0.00")
                .line("current_save_keys_processed", 0)
                .line("current_save_keys_total", 0)
                .line("rdb_changes_since_last_save", s.changesSinceLastSave())
                .line("rdb_bgsave_in_progress", s.bgsaveInProgress() ? 1 : 0)
                .line("rdb_last_save_time", s.lastSaveMillis() / 1000)
                .line("rdb_last_bgsave_status", s.lastBgsaveOk() ? "ok" : "err")
                .line("rdb_last_bgsave_time_sec", -1)
                .line("rdb_current_bgsave_time_sec", -1)
                .line("rdb_saves", 0)
                .line("rdb_last_cow_size", 0)
                .line("rdb_last_load_keys_expired", 0)
                .line("rdb_last_load_keys_loaded", 0)
                .line("aof_enabled", 1)
                .line("aof_rewrite_in_progress", 0)
                .line("aof_rewrite_scheduled", 0)
                .line("aof_last_rewrite_time_sec", -1)
                .line("aof_current_rewrite_time_sec", -1)
                .line("aof_last_bgrewrite_status", "ok")
                .line("aof_rewrites", 0)
                .line("aof_rewrites_consecutive_failures", 0)
                .line("aof_last_write_status", "ok")
                .line("aof_last_cow_size", 0)
                .line("module_fork_in_progress", 0)
                .line("module_fork_last_cow_size", 0)
                .line("strata_wal_sync", s.config().sync() ? "always" : "os");
    }
}
