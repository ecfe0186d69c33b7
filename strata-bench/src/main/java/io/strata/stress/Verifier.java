package io.strata.stress;

import io.strata.StrataDb;
import io.strata.StrataIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a store just opened (no writer running) against the expected state, then settles the
 * writes a kill left in flight. What it checks, with A a key's acknowledged state and P the
 * write recorded in flight, if any:
 *
 * <ol>
 *   <li>A full scan and a get of every key agree, the scan shows no key the test never
 *       writes, and every value is exactly the value of its key and version (else "corrupt").</li>
 *   <li>Each key holds A, or P when P is in flight (the write was issued; it may or may not
 *       have reached the store). Nothing older: an acknowledged write must survive a process
 *       kill in both modes, since Strata hands the WAL record to the operating system before
 *       it acknowledges (docs/ARCHITECTURE.md, Write path), and {@code --sync} adds only the
 *       fsync a power loss would need. Nothing newer or other: no write was issued.</li>
 *   <li>A write batch is all or nothing: the keys whose in-flight write has one sequence all
 *       hold it or none does; and if any of them has it recorded as acknowledged (the kill
 *       came while the batch's acknowledgement was being recorded), all hold it.</li>
 * </ol>
 *
 * Together these are the prefix property the crash test asks for: the recovered state is the
 * state after every acknowledged write and some of the writes in flight, each batch whole,
 * which is a prefix of an order the store could have committed them in: writes in flight
 * together were issued by different threads, none waiting for another, so the store may
 * order them any way. (A cut by the order in which the test issued them would be wrong: the
 * group commit may well log a later-issued write first.) A key whose A and P are both
 * deletes cannot tell whether P applied, and constrains nothing.
 */
final class Verifier {
    /** Mismatch lines kept for the report; more are only counted. */
    private static final int MAX_REPORTED = 50;

    private final ExpectedState state;
    private final ValueFormat format;
    private final List<String> mismatches = new ArrayList<>();
    private int mismatchCount;
    private int present;
    private int applied;
    private int notApplied;
    private int undecided;
    /** In-flight writes found in the store, by key; settled into acked by {@link #settle}. */
    private final Map<Integer, KeyState> appliedWrites = new TreeMap<>();

    /** The keys of one in-flight write (one key, or a batch's). */
    private static final class Write {
        boolean acknowledged;
        final List<Integer> appliedKeys = new ArrayList<>();
        final List<Integer> missingKeys = new ArrayList<>();
    }

    private Verifier(ExpectedState state, ValueFormat format) {
        this.state = state;
        this.format = format;
    }

    static Verifier verify(StrataDb db, ExpectedState state, ValueFormat format) {
        Verifier v = new Verifier(state, format);
        v.run(db);
        return v;
    }

    private void run(StrataDb db) {
        int keys = state.keys();
        RangeRead scan;
        try (StrataIterator it = db.iterator()) {
            it.seekToFirst();
            scan = RangeRead.read(it, 0, keys, format);
            for (; it.valid(); it.next()) {
                scan.unexpected().add("a key the test never writes: " + KeySpace.describe(it.key()));
            }
        }
        scan.unexpected().forEach(u -> mismatch("the store holds " + u));
        Map<Long, Write> writes = new TreeMap<>();
        for (int key = 0; key < keys; key++) {
            Found found = scan.found()[key];
            Found got = Found.of(format, key, db.get(KeySpace.key(key)));
            if (!got.equals(found)) {
                mismatch(name(key) + ": a get found " + got.describe() + " but a scan found " + found.describe());
            }
            present += found.present() ? 1 : 0;
            checkKey(key, found, writes);
        }
        writes.forEach(this::checkWrite);
    }

    private void checkKey(int key, Found found, Map<Long, Write> writes) {
        ExpectedState.Slot slot = state.slot(key);
        KeyState acked = slot.acked();
        KeyState pending = slot.pending();
        if (pending == null || slot.settled()) {
            if (pending != null) {
                writes.computeIfAbsent(slot.seq(), s -> new Write()).acknowledged = true;
            }
            if (!acked.matches(found)) {
                mismatch(name(key) + ": expected " + acked.describe(format, key) + ", found " + found.describe()
                        + verdict(acked, found));
            }
            return;
        }
        Write write = writes.computeIfAbsent(slot.seq(), s -> new Write());
        boolean isPending = pending.matches(found);
        boolean isAcked = acked.matches(found);
        if (isPending && isAcked) {
            undecided++;
        } else if (isPending) {
            applied++;
            write.appliedKeys.add(key);
            appliedWrites.put(key, pending);
        } else if (isAcked) {
            notApplied++;
            write.missingKeys.add(key);
        } else {
            mismatch(name(key) + ": expected " + acked.describe(format, key) + " or, from the write in flight, "
                    + pending.describe(format, key) + "; found " + found.describe() + verdict(acked, found));
        }
    }

    /** Why a found state that matches nothing expected is wrong, when it can be told. */
    private static String verdict(KeyState acked, Found found) {
        if (found.corruption() != null) {
            return "";
        }
        boolean older = found.present() ? found.version() < acked.version() : acked.present();
        return older ? " (an acknowledged write was lost)" : " (a state no acknowledged write made)";
    }

    private void checkWrite(long seq, Write w) {
        if (w.acknowledged && !w.missingKeys.isEmpty()) {
            mismatch("the write batch with sequence " + seq + " was acknowledged, yet " + names(w.missingKeys)
                    + " do not hold its writes (an acknowledged write was lost)");
        } else if (!w.appliedKeys.isEmpty() && !w.missingKeys.isEmpty()) {
            mismatch("the write batch with sequence " + seq + " was applied in part: " + names(w.appliedKeys)
                    + " hold its writes, " + names(w.missingKeys) + " do not");
        }
    }

    private void mismatch(String line) {
        if (mismatchCount++ < MAX_REPORTED) {
            mismatches.add(line);
        }
    }

    boolean passed() {
        return mismatchCount == 0;
    }

    /** The report: a summary line, then one line per mismatch. */
    List<String> report() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                "verified %d keys: %d present; keys written by writes in flight at the last stop: "
                        + "%d applied, %d not applied, %d undecidable (delete over delete); %s",
                state.keys(),
                present,
                applied,
                notApplied,
                undecided,
                passed() ? "OK" : mismatchCount + " MISMATCHES"));
        lines.addAll(mismatches);
        if (mismatchCount > mismatches.size()) {
            lines.add("... and " + (mismatchCount - mismatches.size()) + " more");
        }
        return lines;
    }

    /** Records the outcome of the writes left in flight, so the next writes build on the store's state. */
    void settle() {
        if (!passed()) {
            throw new IllegalStateException("settling a failed verification");
        }
        for (int key = 0; key < state.keys(); key++) {
            KeyState applied = appliedWrites.get(key);
            if (applied != null) {
                state.setAcked(key, applied);
            }
            if (state.slot(key).pending() != null) {
                state.clearPending(key);
            }
        }
    }

    private static String name(int key) {
        return "key " + KeySpace.describe(KeySpace.key(key));
    }

    private static String names(List<Integer> keys) {
        return "keys "
                + keys.stream().map(k -> KeySpace.describe(KeySpace.key(k))).toList();
    }
}
