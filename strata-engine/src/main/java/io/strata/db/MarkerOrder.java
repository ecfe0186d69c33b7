package io.strata.db;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Keeps the markers of committed batches from decreasing ({@link io.strata.WriteBatch#marker}):
 * holds the marker of the newest batch accepted for commit, and refuses a batch whose marker is
 * below it (unsigned lexicographic order; equal is allowed). Checked as a batch joins the commit
 * queue, whose order is the order of sequences, so markers follow the data's order. A batch that
 * fails after it was accepted (an I/O error) still counts: the next marker must not be below it.
 *
 * <p>Not thread-safe: the commit pipeline calls it under its lock.
 */
final class MarkerOrder {
    /** The newest marker accepted, or null before any; the array is never modified. */
    private byte[] newest;

    MarkerOrder(byte[] start) {
        this.newest = start;
    }

    /**
     * Accepts {@code marker} (null: a batch without one, always accepted) as the newest.
     *
     * @throws IllegalArgumentException if it is below the newest accepted
     */
    void accept(byte[] marker) {
        if (marker == null) {
            return;
        }
        if (newest != null && Arrays.compareUnsigned(marker, newest) < 0) {
            throw new IllegalArgumentException("write refused (nothing was written): its batch's marker "
                    + hex(marker) + " is below the marker " + hex(newest) + " of a batch committed before it; "
                    + "markers must not decrease from batch to batch");
        }
        newest = marker;
    }

    private static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }
}
