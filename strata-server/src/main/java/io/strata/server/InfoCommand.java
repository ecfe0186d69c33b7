package io.strata.server;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO [section ...]: Redis 7.2's sections, in Redis's order, plus Strata's own (strata). With no
 * argument, or {@code default}, the default sections; {@code all} adds commandstats and
 * latencystats; {@code everything} is all (Strata has no modules). Names are case-insensitive,
 * several may be given, a section asked twice shows once, and an unknown one is left out, as in
 * Redis.
 */
final class InfoCommand {
    private InfoCommand() {}

    /** Writes one section, its title included. */
    @FunctionalInterface
    interface Section {
        void append(InfoText out, Request r);
    }

    /** Every section, in the order INFO shows them. */
    private static final Map<String, Section> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("server", InfoServer::append);
        SECTIONS.put("clients", InfoClients::append);
        SECTIONS.put("memory", InfoMemory::append);
        SECTIONS.put("persistence", InfoPersistence::append);
        SECTIONS.put("stats", InfoStats::append);
        SECTIONS.put("replication", InfoReplication::append);
        SECTIONS.put("cpu", InfoCpu::append);
        SECTIONS.put("modules", (out, r) -> out.title("Modules"));
        SECTIONS.put("commandstats", InfoCommandStats::appendCalls);
        SECTIONS.put("errorstats", InfoErrorStats::append);
        SECTIONS.put("latencystats", InfoCommandStats::appendLatencies);
        SECTIONS.put("cluster", (out, r) -> out.title("Cluster").line("cluster_enabled", 0));
        SECTIONS.put("keyspace", InfoKeyspace::append);
        SECTIONS.put("strata", InfoStrata::append);
    }

    /** Redis's default sections (its module_list is our modules), and Strata's. */
    private static final List<String> DEFAULT = List.of(
            "server",
            "clients",
            "memory",
            "persistence",
            "stats",
            "replication",
            "cpu",
            "modules",
            "errorstats",
            "cluster",
            "keyspace",
            "strata");

    static void run(Request r) {
        r.out.verbatim(text(r, sections(r)));
    }

    /** The sections asked for, lower case. */
    static Set<String> sections(Request r) {
        Set<String> asked = new LinkedHashSet<>();
        if (r.argc() == 1) {
            asked.addAll(DEFAULT);
        }
        for (int i = 1; i < r.argc(); i++) {
            String s = r.str(i).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> asked.addAll(DEFAULT);
                case "all", "everything" -> asked.addAll(SECTIONS.keySet());
                default -> asked.add(s);
            }
        }
        return asked;
    }

    /** The reply's text: the sections asked for that exist, in INFO's order. */
    static String text(Request r, Set<String> asked) {
        InfoText out = new InfoText();
        SECTIONS.forEach((name, section) -> {
            if (asked.contains(name)) {
                section.append(out, r);
            }
        });
        return out.toString();
    }
}
