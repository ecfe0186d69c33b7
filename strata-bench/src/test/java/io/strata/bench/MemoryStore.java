package io.strata.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A correct store in memory, for the workloads' tests; its cursors move both ways over a copy of
 * the entries made when they open. Subclasses break it on purpose.
 */
class MemoryStore implements BenchStore {
    final ConcurrentSkipListMap<byte[], byte[]> map = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

    @Override
    public void put(byte[] key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void delete(byte[] key) {
        map.remove(key);
    }

    @Override
    public void putBatch(List<byte[]> keys, List<byte[]> values) throws Exception {
        for (int i = 0; i < keys.size(); i++) {
            put(keys.get(i), values.get(i));
        }
    }

    @Override
    public StoreCursor cursor() {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>(map.entrySet());
        return new StoreCursor() {
            private int pos = -1;

            @Override
            public void seekToFirst() {
                pos = 0;
            }

            @Override
            public void seek(byte[] key) {
                pos = 0;
                while (pos < entries.size()
                        && Arrays.compareUnsigned(entries.get(pos).getKey(), key) < 0) {
                    pos++;
                }
            }

            @Override
            public boolean valid() {
                return pos >= 0 && pos < entries.size();
            }

            @Override
            public byte[] key() {
                return entries.get(pos).getKey();
            }

            @Override
            public byte[] value() {
                return entries.get(pos).getValue();
            }

            @Override
            public void next() {
                pos++;
            }

            @Override
            public void seekToLast() {
                pos = entries.size() - 1;
            }

            @Override
            public void prev() {
                pos--;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
