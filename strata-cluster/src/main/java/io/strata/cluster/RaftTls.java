package io.strata.cluster;

import io.strata.server.RaftTlsFiles;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

/**
 * The Ratis parameters of a node's or an admin client's gRPC transport: with {@link RaftTlsFiles},
 * mutual TLS ({@link GrpcTlsConfig} with mutual authentication, set by
 * {@link GrpcConfigKeys.TLS#setConf} for the server, client and admin services alike), so a Raft
 * server asks every peer and client for a certificate the cluster's CA signed and shows its own,
 * and a client checks the server's against the CA and the address it dials (its IP address or
 * host name must be in the certificate); without them, plaintext. The files are read when Ratis
 * builds its transport; {@link RaftTlsFiles#check} reads them first, so a bad one stops a start
 * with its name.
 */
public final class RaftTls {
    private RaftTls() {}

    /** Parameters for {@code files}, or empty ones (plaintext) when it is null. */
    public static Parameters parameters(RaftTlsFiles files) {
        Parameters p = new Parameters();
        if (files != null) {
            files.check();
            GrpcConfigKeys.TLS.setConf(
                    p,
                    new GrpcTlsConfig(
                            files.keyFile().toFile(),
                            files.certFile().toFile(),
                            files.caCertFile().toFile(),
                            true));
        }
        return p;
    }

    /** What STRATA.CLUSTER INFO and INFO replication say: {@code mutual} or {@code off}. */
    static String describe(RaftTlsFiles files) {
        return files != null ? "mutual" : "off";
    }
}
