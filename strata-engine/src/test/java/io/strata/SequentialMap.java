package io.strata;

import java.util.TreeMap;

/**
 * The sequential specification of the Lincheck tests: a sorted map of small integer keys and
 * values, with a scan that lists it as "k=v " in key order (the form the tests' scans return).
 */
public class SequentialMap {
    protected final TreeMap<Integer, Integer> map = new TreeMap<>();

    public void put(int key, int value) {
        map.put(key, value);
    }

    public void delete(int key) {
        map.remove(key);
    }

    public Integer get(int key) {
        return map.get(key);
    }

    public String scan() {
        StringBuilder out = new StringBuilder();
        map.forEach((k, v) -> out.append(k).append('=').append(v).append(' '));
        return out.toString();
    }
}
