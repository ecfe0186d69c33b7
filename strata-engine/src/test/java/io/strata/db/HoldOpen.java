package io.strata.db;

import io.strata.StrataDb;
import java.nio.file.Path;

/**
 * A child process for {@link RecoveryErrorTest}: opens the store in the directory given as
 * its argument, prints {@code open}, and keeps it open until its stdin ends (or it is killed).
 */
public final class HoldOpen {
    private HoldOpen() {}

    public static void main(String[] args) throws Exception {
        try (StrataDb db = StrataDb.open(Path.of(args[0]))) {
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
        System.out.println("closed");
        System.out.flush();
    }
}
