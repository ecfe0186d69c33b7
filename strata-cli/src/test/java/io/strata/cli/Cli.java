package io.strata.cli;

import io.strata.Options;
import io.strata.StrataDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Runs the strata command in-process with captured output, and builds test stores. */
final class Cli {
    private Cli() {}

    record Result(int exitCode, String out, String err) {}

    static Result run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = StrataCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] argv = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int code = cl.execute(argv);
        return new Result(code, out.toString(), err.toString());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String key(int i) {
        return String.format("key%06d", i);
    }

    /** Small memtables, so that a few thousand keys make several tables of several blocks. */
    static Options smallOptions() {
        return new Options().writeBufferSize(64 * 1024);
    }

    /** A store holding keys 0..n-1 (values of 100 bytes), all flushed to tables, closed. */
    static void fillAndFlush(Path dir, int n) {
        try (StrataDb db = StrataDb.open(dir, smallOptions())) {
            for (int i = 0; i < n; i++) {
                db.put(bytes(key(i)), value(i));
            }
            db.flush();
        }
    }

    static byte[] value(int i) {
        return bytes(String.format("value-%06d-", i) + "v".repeat(87));
    }

    /** The files of {@code dir} whose names end in {@code suffix}, sorted. */
    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    /** Flips every bit of the byte at {@code offset}. */
    static void flipByte(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[Math.toIntExact(offset)] ^= (byte) 0xff;
        Files.write(file, b);
    }
}
