package io.strata.server;

import io.strata.server.store.StoredValue;
import io.strata.server.store.ValueCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest common subsequence of
 * two strings (missing keys are empty), by the dynamic-programming table Redis uses, walked back
 * from the end the same way, so the string and the IDX ranges (last match first) are Redis's.
 */
final class Lcs {
    private Lcs() {}

    /** One run of matching bytes: a[aStart..aEnd] equals b[bStart..bEnd]. */
    private record Match(int aStart, int aEnd, int bStart, int bEnd) {
        int length() {
            return aEnd - aStart + 1;
        }
    }

    static void run(Request r) {
        byte[] a = payload(r.ks.get(r.argv[1]));
        byte[] b = payload(r.ks.get(r.argv[2]));
        boolean idx = false;
        boolean len = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < r.argc(); j++) {
            if (r.is(j, "IDX")) {
                idx = true;
            } else if (r.is(j, "LEN")) {
                len = true;
            } else if (r.is(j, "WITHMATCHLEN")) {
                withMatchLen = true;
            } else if (r.is(j, "MINMATCHLEN") && j + 1 < r.argc()) {
                minMatchLen = Math.max(0, r.longArg(++j));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (idx && len) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        long cells = (a.length + 1L) * (b.length + 1L);
        if (cells * Integer.BYTES > ValueCodec.MAX_PAYLOAD) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int width = b.length + 1;
        int[] table = new int[(int) cells]; // table[i * width + j]: the LCS length of a[0, i) and b[0, j)
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                table[i * width + j] = a[i - 1] == b[j - 1]
                        ? table[(i - 1) * width + j - 1] + 1
                        : Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
            }
        }
        int total = table[a.length * width + b.length];
        if (len) {
            r.out.integer(total);
            return;
        }
        byte[] common = new byte[total];
        List<Match> matches = new ArrayList<>();
        int i = a.length;
        int j = b.length;
        int k = total;
        Match run = null; // the run being extended backwards
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                common[--k] = a[i - 1];
                if (run == null) {
                    run = new Match(i - 1, i - 1, j - 1, j - 1);
                } else if (run.aStart() == i && run.bStart() == j) {
                    run = new Match(i - 1, run.aEnd(), j - 1, run.bEnd());
                } else {
                    emit = true;
                }
                emit |= run.aStart() == 0 || run.bStart() == 0;
                i--;
                j--;
            } else {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                emit = run != null;
            }
            if (emit) {
                if (minMatchLen == 0 || run.length() >= minMatchLen) {
                    matches.add(run);
                }
                run = null;
            }
        }
        if (!idx) {
            r.out.bulk(common);
            return;
        }
        r.out.map(2);
        r.out.bulk("matches");
        r.out.array(matches.size());
        for (Match m : matches) {
            r.out.array(withMatchLen ? 3 : 2);
            r.out.array(2);
            r.out.integer(m.aStart());
            r.out.integer(m.aEnd());
            r.out.array(2);
            r.out.integer(m.bStart());
            r.out.integer(m.bEnd());
            if (withMatchLen) {
                r.out.integer(m.length());
            }
        }
        r.out.bulk("len");
        r.out.integer(total);
    }

    private static byte[] payload(StoredValue v) {
        return v == null ? new byte[0] : v.payload();
    }
}
