package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link Samples} (a passing and a failing test) through a launcher of its own and reads what they printed. */
class PrintLogOnFailureTest {
    private static final String SAMPLES = "strata.testkit.samples";

    /** Runs only inside {@link #aFailedTestPrintsItsLogAndAPassedOneDoesNot}, which sets the property. */
    @EnabledIfSystemProperty(named = SAMPLES, matches = "true")
    static class Samples {
        private static final Logger log = LoggerFactory.getLogger(Samples.class);

        @BeforeAll
        static void setUp() {
            log.info("line of the class's setup");
        }

        @Test
        void passes() {
            log.warn("line of the passing test");
        }

        @Test
        void fails() {
            log.warn("line of the failing test");
            fail("fails on purpose");
        }
    }

    @Test
    void aFailedTestPrintsItsLogAndAPassedOneDoesNot() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        TestExecutionSummary summary;
        System.setProperty(SAMPLES, "true");
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            summary = run(Samples.class);
        } finally {
            System.setErr(stderr);
            System.clearProperty(SAMPLES);
        }
        String printed = err.toString(StandardCharsets.UTF_8);

        assertThat(summary.getTestsSucceededCount()).as(printed).isEqualTo(1);
        assertThat(summary.getTestsFailedCount()).as(printed).isEqualTo(1);
        assertThat(printed)
                .contains("--- log of PrintLogOnFailureTest$Samples > fails(): 1 events")
                .contains("WARN  [main] i.s.t.PrintLogOnFailureTest$Samples - line of the failing test")
                .contains("line of the class's setup")
                .contains("--- end of the log of PrintLogOnFailureTest$Samples > fails() ---")
                .doesNotContain("line of the passing test")
                .doesNotContain("passes()");
        String file = Files.readString(Path.of("target", "test.log"));
        assertThat(file)
                .contains("=== PrintLogOnFailureTest$Samples > passes()")
                .contains("line of the passing test")
                .contains("line of the failing test")
                .contains("=== PrintLogOnFailureTest$Samples > fails(): FAILED");
    }

    private static TestExecutionSummary run(Class<?> tests) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(tests))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }
}
