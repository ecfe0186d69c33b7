package io.strata.testkit;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The log of the tests running in this JVM: each event goes to the innermost scope open (a test
 * class, a test), whose events are printed if it fails and dropped if it passes, and to one file
 * for the whole run. Scopes nest as JUnit runs them, one at a time: tests in a JVM run one after
 * another here (no parallel execution is configured).
 *
 * <p>Until the first scope begins, and so in a JVM where none ever does (a child JVM a test
 * started, a test run without {@link PrintLogOnFailure}), events go to stderr as they come, as
 * they would without this class: such a JVM's stderr is what its test reads when it fails.
 */
final class TestLog {
    private TestLog() {}

    /** Events a scope keeps at most; older ones are dropped (and counted): the file has them all. */
    static final int MAX_EVENTS = 5000;

    private static final Object lock = new Object();

    /** Set once, when the first scope begins; read without the lock by every event. */
    private static volatile boolean started;

    @GuardedBy("lock")
    private static final Deque<Scope> scopes = new ArrayDeque<>();

    @GuardedBy("lock")
    private static Path fileName = Path.of("target", "test.log");

    /** The whole run's log; null before the first scope, or if it could not be opened. */
    @GuardedBy("lock")
    private static Writer file;

    /** A test class or a test, and the events logged while it was the innermost scope; guarded by {@link #lock}. */
    private static final class Scope {
        final String name;
        final Deque<String> events = new ArrayDeque<>();
        long dropped;

        Scope(String name) {
            this.name = name;
        }

        void add(String event) {
            if (events.size() == MAX_EVENTS) {
                events.removeFirst();
                dropped++;
            }
            events.addLast(event);
        }
    }

    /** Where the whole run's log goes (the appender's {@code file}); before the first scope only. */
    static void fileName(Path name) {
        synchronized (lock) {
            fileName = name;
        }
    }

    /** One formatted event (its text ends in a line break). */
    static void append(String event) {
        if (!started) {
            System.err.print(event);
            return;
        }
        synchronized (lock) {
            write(event);
            Scope scope = scopes.peekLast();
            if (scope != null) {
                scope.add(event);
            }
        }
    }

    /** Opens a scope inside the ones open; the first also starts the run's file afresh. */
    static void begin(String name) {
        synchronized (lock) {
            if (!started) {
                file = open(fileName);
                started = true;
            }
            scopes.addLast(new Scope(name));
            write("=== " + name + System.lineSeparator());
        }
    }

    /**
     * Closes the innermost scope. If it failed, prints to {@code out} the events of the scopes
     * around it (what their setup logged) and then its own.
     */
    static void end(boolean failed, PrintStream out) {
        synchronized (lock) {
            Scope scope = scopes.removeLast();
            write("=== " + scope.name + (failed ? ": FAILED" : ": passed") + System.lineSeparator());
            if (!failed) {
                return;
            }
            for (Iterator<Scope> it = scopes.iterator(); it.hasNext(); ) {
                print(it.next(), " (outside its tests)", out);
            }
            print(scope, "", out);
            out.flush();
        }
    }

    @GuardedBy("lock")
    private static void print(Scope scope, String where, PrintStream out) {
        if (scope.events.isEmpty() && scope.dropped == 0) {
            return;
        }
        out.println("--- log of " + scope.name + where + ": " + scope.events.size() + " events"
                + (scope.dropped > 0 ? " (" + scope.dropped + " earlier ones dropped)" : "")
                + "; every test's log is in " + fileName + " ---");
        scope.events.forEach(out::print);
        out.println("--- end of the log of " + scope.name + where + " ---");
    }

    @GuardedBy("lock")
    private static void write(String text) {
        if (file == null) {
            return;
        }
        try {
            file.write(text);
            // Flushed at once: a JVM that dies (a timeout, a crash) keeps its log up to there.
            file.flush();
        } catch (IOException e) {
            System.err.println("test log: cannot write " + fileName + " (" + e + "); no longer writing it");
            file = null;
        }
    }

    private static Writer open(Path name) {
        try {
            Path parent = name.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.newBufferedWriter(name, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("test log: cannot open " + name + " (" + e + "); only failed tests' logs are kept");
            return null;
        }
    }
}
