package io.strata.server;

import io.strata.server.acl.CommandCatalog;

/** The server's command table as ACL sees it, for the tests of {@code io.strata.server.acl}. */
public final class StandardCatalog {
    private StandardCatalog() {}

    public static CommandCatalog get() {
        return CommandTable.standard().catalog();
    }
}
