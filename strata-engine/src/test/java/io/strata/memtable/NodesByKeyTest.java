package io.strata.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.key.ValueType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodesByKeyTest {
    private final MemTableEntries entries = new MemTableEntries();
    private final SkipList index = new SkipList(entries);

    /** A new key's node, linked into the list and recorded in the table, as MemTable does. */
    private long add(NodesByKey table, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long entry = entries.add(k, 0, k.length, (1L << 8) | ValueType.VALUE, new byte[0], 0, 0);
        long node = index.insert(entry);
        table.add(node, k, 0, k.length);
        return node;
    }

    private static long find(NodesByKey table, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return table.find(k, 0, k.length);
    }

    /** Growing many times over keeps every key's node. */
    @Test
    void keepsEachKeysNodeAcrossGrowth() {
        NodesByKey table = new NodesByKey(index, entries);
        long[] nodes = new long[5000];
        for (int k = 0; k < nodes.length; k++) {
            nodes[k] = add(table, "key-" + k);
        }
        for (int k = 0; k < nodes.length; k++) {
            assertThat(find(table, "key-" + k)).as("key-" + k).isEqualTo(nodes[k]);
        }
        assertThat(find(table, "key-5000")).isEqualTo(NodesByKey.NONE);
        assertThat(find(table, "key-")).isEqualTo(NodesByKey.NONE);
        assertThat(table.usedBytes()).isEqualTo(8192L * 16);
    }

    /** Past its bound it stops taking keys: those in it stay, a miss says "unknown". */
    @Test
    void pastItsBoundAMissIsUnknown() {
        NodesByKey table = new NodesByKey(index, entries, 100);
        long[] nodes = new long[100];
        for (int k = 0; k < 100; k++) {
            nodes[k] = add(table, "key-" + k);
        }
        assertThat(find(table, "key-100")).isEqualTo(NodesByKey.NONE);
        add(table, "key-100");
        assertThat(find(table, "key-100")).isEqualTo(NodesByKey.UNKNOWN);
        assertThat(find(table, "never")).isEqualTo(NodesByKey.UNKNOWN);
        assertThat(find(table, "key-3")).isEqualTo(nodes[3]);
    }
}
