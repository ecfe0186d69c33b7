package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrataCommandTest {
    @Test
    void helpListsEverySubcommand() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("Usage: strata")
                .containsPattern("\n +sst ")
                .containsPattern("\n +db ")
                .containsPattern("\n +bench ")
                .containsPattern("\n +stress ")
                .contains("Exit status");
    }

    @Test
    void helpSubcommandShowsASubcommandsHelp() {
        Cli.Result r = Cli.run("help", "db");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: strata db").contains("verify").contains("stats");
    }

    @Test
    void versionComesFromTheBuild() {
        Cli.Result r = Cli.run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("strata 0.").doesNotContain("${");
    }

    @Test
    void noSubcommandIsAUsageError() {
        for (String[] args : new String[][] {{}, {"db"}, {"sst"}}) {
            Cli.Result r = Cli.run((Object[]) args);

            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).contains("Missing required subcommand").contains("Usage: strata");
        }
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        Cli.Result r = Cli.run("frobnicate");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void benchIsASubcommandWithItsOwnOptions() {
        Cli.Result r = Cli.run("bench", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: strata bench").contains("--num").contains("--engines");
    }

    @Test
    void benchRejectsAnUnknownBenchmark() {
        Cli.Result r = Cli.run("bench", "--benchmarks", "nosuch");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown benchmark: nosuch");
    }

    @Test
    void benchRunsAgainstStrata(@TempDir Path dir) {
        // Engine names are case-insensitive, as when bench was its own command.
        Cli.Result r = Cli.run("bench", "--engines", "STRATA", "--num", "2000", "--runs", "1", "--db", dir);

        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void serverConfigFileErrorsAreUsageErrors(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("strata.conf");
        java.nio.file.Files.writeString(conf, "dir " + dir.resolve("data") + "\ncompression Zstd\nprot 6390\n");

        Cli.Result r = Cli.run("server", conf);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err())
                .contains(conf + ":3: unknown directive 'prot' (did you mean 'port'?)")
                .contains("Usage: strata server");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void stressRunsAndVerifiesThroughTheStrataCommand(@TempDir Path dir) {
        // Op names are case-insensitive too.
        Cli.Result r = Cli.run(
                "stress", "--db", dir.resolve("db"), "--keys", "100", "--ops", "500", "--op-mix", "GET=50,put=50");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("after a clean reopen: verified 100 keys");
        assertThat(Cli.run("stress", "--db", dir.resolve("db"), "--keys", "100", "--verify-only")
                        .exitCode())
                .isZero();
    }

    @Test
    void stressUsageErrorsExitWithTwo(@TempDir Path dir) {
        Cli.Result r = Cli.run("stress", "--db", dir.resolve("db"), "--verify-only");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no expected-state file " + dir.resolve("db.expected"));
    }
}
