package io.strata.server.acl;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * ACL LOG: the latest refused commands, keys and logins, newest first, as Redis 7.2 keeps them.
 * A refusal like one of the last ten (same reason, context, object and user) within a minute
 * of it adds to that entry's count and moves it to the front instead of making a new entry;
 * at most {@link #MAX_ENTRIES} are kept (Redis's acllog-max-len default). Passwords are never
 * recorded: an auth entry names the user tried and the command.
 *
 * <p>Thread-safe: every command thread adds to it; its state is guarded by this object's lock.
 */
public final class AclLog {
    public static final int MAX_ENTRIES = 128;
    /** Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA. */
    static final long GROUPING_MILLIS = 60_000;
    /** How many of the newest entries a new refusal is compared with. */
    private static final int GROUPING_SCAN = 10;

    /** One entry as ACL LOG shows it; {@code count} and the last update change as refusals join it. */
    public record Entry(
            long count,
            String reason,
            String context,
            String object,
            String username,
            long createdMillis,
            long updatedMillis,
            String clientInfo,
            long entryId) {}

    private final LongSupplier clock;

    @GuardedBy("this")
    private final Deque<Entry> entries = new ArrayDeque<>();

    @GuardedBy("this")
    private long nextEntryId;

    public AclLog(LongSupplier clock) {
        this.clock = clock;
    }

    /** Records a refusal on the top level (not inside MULTI or a script). */
    public synchronized void add(Denial d, String username, String clientInfo) {
        long now = clock.getAsLong();
        Iterator<Entry> it = entries.iterator();
        for (int i = 0; i < GROUPING_SCAN && it.hasNext(); i++) {
            Entry e = it.next();
            if (e.reason().equals(d.reason())
                    && e.object().equals(d.object())
                    && e.username().equals(username)
                    && now - e.updatedMillis() <= GROUPING_MILLIS) {
                it.remove();
                entries.addFirst(new Entry(
                        e.count() + 1,
                        e.reason(),
                        e.context(),
                        e.object(),
                        username,
                        e.createdMillis(),
                        now,
                        clientInfo,
                        e.entryId()));
                return;
            }
        }
        entries.addFirst(
                new Entry(1, d.reason(), "toplevel", d.object(), username, now, now, clientInfo, nextEntryId++));
        while (entries.size() > MAX_ENTRIES) {
            entries.removeLast();
        }
    }

    /** The newest {@code max} entries, newest first. */
    public synchronized List<Entry> latest(int max) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() == max) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public synchronized void reset() {
        entries.clear();
    }

    /** Now, on the log's clock (for ACL LOG's age-seconds). */
    public long now() {
        return clock.getAsLong();
    }
}
