package io.strata.server.replication;

import io.strata.server.ServerConfig;

/**
 * Makes the {@link Replication} of a server started with cluster settings; found with
 * {@link java.util.ServiceLoader}, so the server does not depend on the module that provides it.
 */
public interface ReplicationProvider {
    Replication create(ServerConfig config);
}
