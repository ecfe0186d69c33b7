package io.strata.bench;

import io.strata.Compression;
import java.util.Locale;

/** An engine with a compression setting: what runs side by side with the others. */
record Variant(Engine engine, Compression compression) {
    String label() {
        return engine.label() + "/" + compression.name().toLowerCase(Locale.ROOT);
    }

    /** Its store's directory under the base, a name without a slash. */
    String directoryName() {
        return label().replace('/', '-');
    }
}
