package io.strata.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * INFO memory: Redis's fields as the JVM sees them. used_memory is the heap in use (the store's
 * data is mostly off the heap, in its files and the OS page cache); used_memory_rss the memory the
 * JVM has committed (heap and the rest); the peak the committed heap. Strata has no maxmemory and
 * no allocator of its own: those fields say so.
 */
final class InfoMemory {
    private InfoMemory() {}

    static void append(InfoText out, Request r) {
        StrataServer s = r.server;
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage other = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long rss = heap.getCommitted() + other.getCommitted();
        long peak = Math.max(used, heap.getCommitted());
        long scripts = s.scripts().cache().bodyBytes();
        long system = totalSystemMemory();
        out.title("Memory")
                .line("used_memory", used)
                .line("used_memory_human", InfoText.human(used))
                .line("used_memory_rss", rss)
                .line("used_memory_rss_human", InfoText.human(rss))
                .line("used_memory_peak", peak)
                .line("used_memory_peak_human", InfoText.human(peak))
                .decimal("used_memory_peak_perc", peak == 0 ? 0 : 100.0 * used / peak)
                .line("used_memory_overhead", other.getUsed())
                .line("used_memory_startup", 0)
                .line("used_memory_dataset", used)
                .line("used_memory_dataset_perc", "100.00%")
                .line("total_system_memory", system)
                .line("total_system_memory_human", InfoText.human(system))
                .line("used_memory_lua", 0)
                .line("used_memory_vm_eval", 0)
                .line("used_memory_lua_human", "0B")
                // The scripts' bodies: Redis's count of its script cache (luaj's compiled code is not measured).
                .line("used_memory_scripts_eval", scripts)
                .line("number_of_cached_scripts", s.scripts().cache().size())
                .line("used_memory_scripts", scripts)
                .line("used_memory_scripts_human", InfoText.human(scripts))
                .line("jvm_heap_max", rt.maxMemory())
                .line("maxmemory", 0)
                .line("maxmemory_human", "0B")
                .line("maxmemory_policy", "noeviction")
                .decimal("mem_fragmentation_ratio", used == 0 ? 0 : (double) rss / used)
                .line("mem_fragmentation_bytes", rss - used)
                .line("mem_not_counted_for_evict", 0)
                .line("mem_replication_backlog", 0)
                .line("mem_total_replication_buffers", 0)
                .line("mem_clients_slaves", 0)
                .line("mem_clients_normal", 0)
                .line("mem_cluster_links", 0)
                .line("mem_aof_buffer", 0)
                .line("mem_allocator", "jvm")
                .line("active_defrag_running", 0)
                .line("lazyfree_pending_objects", 0)
                .line("lazyfreed_objects", 0)
                .line("strata_memtable_bytes", r.server.keyspace().db().getProperty("strata.memtable-bytes"));
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
