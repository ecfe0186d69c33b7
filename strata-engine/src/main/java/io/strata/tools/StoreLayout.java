package io.strata.tools;

import io.strata.StrataDb;
import io.strata.version.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * How an open store's tables lie on the levels, from its properties.
 *
 * @param filesPerLevel table files on each level, level 0 first, every level of the store
 * @param tableBytes bytes of all live table files
 */
public record StoreLayout(List<Integer> filesPerLevel, long tableBytes) {

    public static StoreLayout of(StrataDb db) {
        List<Integer> files = new ArrayList<>(Version.NUM_LEVELS);
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            files.add(Integer.parseInt(db.getProperty("strata.num-files-at-level" + level)));
        }
        return new StoreLayout(List.copyOf(files), Long.parseLong(db.getProperty("strata.live-sst-bytes")));
    }

    /** "files per level [2 0 1 0 0 0 0], 123456 table bytes". */
    public String describe() {
        StringBuilder sb = new StringBuilder("files per level [");
        for (int level = 0; level < filesPerLevel.size(); level++) {
            sb.append(level == 0 ? "" : " ").append(filesPerLevel.get(level));
        }
        return sb.append("], ").append(tableBytes).append(" table bytes").toString();
    }
}
