package io.strata.server;

import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One command being executed: its arguments, the connection, where the reply goes. */
final class Request {
    final byte[][] argv;
    final Client client;
    final RespWriter out;
    final StrataServer server;
    final Keyspace ks;

    Request(byte[][] argv, Client client, RespWriter out, StrataServer server) {
        this.argv = argv;
        this.client = client;
        this.out = out;
        this.server = server;
        this.ks = server.keyspace();
    }

    int argc() {
        return argv.length;
    }

    String str(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /** The argument in upper case, for option names. */
    String upper(int i) {
        return str(i).toUpperCase(Locale.ROOT);
    }

    boolean is(int i, String option) {
        return argv[i].length == option.length() && str(i).equalsIgnoreCase(option);
    }

    long longArg(int i) {
        return Numbers.parseLong(argv[i]);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
