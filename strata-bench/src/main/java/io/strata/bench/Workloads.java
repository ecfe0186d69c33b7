package io.strata.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The db_bench workloads by name, and the default suite. */
final class Workloads {
    static final List<Workload> ALL = List.of(
            new Fill("fillseq", false, true, false, false),
            new Fill("fillrandom", true, true, false, false),
            new Fill("overwrite", true, false, false, false),
            new Fill("fillbatch", false, true, true, false),
            new Fill("fillsync", true, true, false, true),
            new PointRead("readrandom", true),
            new PointRead("readmissing", false),
            new Scan("readseq", false),
            new Scan("readreverse", true),
            new SeekRandom(),
            new ReadWhileWriting(),
            new DeleteRandom());

    private static final Map<String, Workload> BY_NAME =
            ALL.stream().collect(Collectors.toMap(Workload::name, Function.identity()));

    /**
     * db_bench's suite, in an order where each read runs on what the writes before it left
     * (NAME:THREADS runs it on that many threads; readwhilewriting's threads are its readers).
     */
    static final List<String> SUITE = List.of(
            "fillseq",
            "fillrandom",
            "overwrite",
            "readrandom",
            "readmissing",
            "readseq",
            "readreverse",
            "seekrandom",
            "readwhilewriting",
            "deleterandom",
            "fillbatch",
            "fillrandom:2",
            "fillrandom:4",
            "fillsync",
            "fillsync:4",
            "fillsync:16");

    private Workloads() {}

    /** The workload of that name, or null. */
    static Workload named(String name) {
        return BY_NAME.get(name);
    }

    static String names() {
        return ALL.stream().map(Workload::name).collect(Collectors.joining(", "));
    }
}
