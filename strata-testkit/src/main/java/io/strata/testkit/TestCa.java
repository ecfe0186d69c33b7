package io.strata.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority for tests, made with the machine's openssl, offline: a self-signed CA
 * certificate and the certificates it signs, each valid for a day, with P-256 keys (quick to
 * make) written unencrypted as PKCS#8 ("BEGIN PRIVATE KEY"), as the server reads them. Every
 * certificate it issues names localhost and 127.0.0.1, so that a client checking the host name
 * of a loopback server accepts it, and may serve as a server's or a client's.
 *
 * <p>Thread-safe: each certificate is made in files of its own; serial numbers come from a counter.
 */
public final class TestCa {
    /** A certificate chain file and its key file. */
    public record Issued(Path cert, Path key) {}

    private static final long OPENSSL_SECONDS = 60;
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffff_ffffL);

    private final Path dir;
    private final Path cert;
    private final Path key;

    private TestCa(Path dir, Path cert, Path key) {
        this.dir = dir;
        this.cert = cert;
        this.key = key;
    }

    /** Makes a CA called {@code name} in {@code dir} (created if missing). */
    public static TestCa create(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path cert = dir.resolve(name + "-ca.crt");
        Path key = dir.resolve(name + "-ca.key");
        newKey(key, cert, "/CN=" + name + " test CA", "-x509", "-days", "1");
        return new TestCa(dir, cert, key);
    }

    /** The CA's certificate: what a peer trusts. */
    public Path cert() {
        return cert;
    }

    /** A certificate for {@code name} (its common name and file names) signed by this CA. */
    public Issued issue(String name) throws IOException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        Path ext = Files.writeString(
                dir.resolve(name + ".ext"),
                "basicConstraints=CA:FALSE\n"
                        + "keyUsage=digitalSignature,keyEncipherment\n"
                        + "extendedKeyUsage=serverAuth,clientAuth\n"
                        + "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
                StandardCharsets.US_ASCII);
        newKey(key, csr, "/CN=" + name);
        openssl(
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                this.cert.toString(),
                "-CAkey",
                this.key.toString(),
                "-set_serial",
                Long.toString(SERIALS.incrementAndGet()),
                "-days",
                "1",
                "-extfile",
                ext.toString(),
                "-out",
                cert.toString());
        return new Issued(cert, key);
    }

    /**
     * {@code openssl req}: a new P-256 key to {@code key}, unencrypted, and for {@code subject} a
     * request (or with -x509 a self-signed certificate) to {@code out}.
     */
    private static void newKey(Path key, Path out, String subject, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                out.toString(),
                "-subj",
                subject));
        args.addAll(List.of(more));
        openssl(args.toArray(new String[0]));
    }

    /** Runs openssl with {@code args}, at most {@link #OPENSSL_SECONDS}; its output is in the error if it fails. */
    private static void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        // Its output goes to a file, so that a hanging openssl cannot block a read: the wait is bounded.
        Path log = Files.createTempFile("openssl", ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!p.waitFor(OPENSSL_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("openssl did not finish within " + OPENSSL_SECONDS + " s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IOException("openssl failed (exit " + p.exitValue() + "): " + command + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running openssl", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
