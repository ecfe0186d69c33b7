package io.strata.cluster;

import io.strata.server.ServerConfig;
import io.strata.server.replication.Replication;
import io.strata.server.replication.ReplicationProvider;

/** Gives the server started with --node-id its {@link ClusterNode} (found with ServiceLoader). */
public final class ClusterReplicationProvider implements ReplicationProvider {
    @Override
    public Replication create(ServerConfig config) {
        return new ClusterNode(config);
    }
}
