package io.strata.db;

import io.strata.memtable.MemTable;
import io.strata.version.Version;
import java.util.List;

/**
 * Everything a read consults, published as one immutable object: the active memtable, the
 * immutable memtables newest first, and the current Version. A new ReadState replaces the
 * old one atomically on every memtable swap and every flush install, and each one holds
 * every write up to the sequence that was visible when it was published, so a reader that
 * reads the visible sequence first and then the ReadState never misses a key.
 */
record ReadState(MemTable active, List<MemTable> immutables, Version version) {}
