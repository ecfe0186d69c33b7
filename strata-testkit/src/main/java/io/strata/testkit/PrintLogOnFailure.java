package io.strata.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prints a test's log (and what its class's setup logged) on stderr when, and only when, the
 * test fails; a test class whose setup or teardown fails prints the class's. Registered for every
 * test through {@code META-INF/services} and {@code junit.jupiter.extensions.autodetection.enabled}
 * (the parent POM's Surefire configuration), so a test needs nothing to have it. Its callbacks
 * are the outermost: a test's log includes what its {@code @BeforeEach} and {@code @AfterEach}
 * methods logged.
 */
public final class PrintLogOnFailure
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        TestLog.begin(name(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestLog.end(context.getExecutionException().isPresent(), System.err);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestLog.begin(name(context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestLog.end(context.getExecutionException().isPresent(), System.err);
    }

    /** "SomeTest > someCase()", "SomeTest > someCase(int) > [1] 42": the display names below the engine's. */
    private static String name(ExtensionContext context) {
        List<String> names = new ArrayList<>();
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent() && c.get().getParent().isPresent();
                c = c.get().getParent()) {
            names.add(c.get().getDisplayName());
        }
        Collections.reverse(names);
        return String.join(" > ", names);
    }
}
