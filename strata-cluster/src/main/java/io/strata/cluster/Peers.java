package io.strata.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/** Parses a peer list, {@code id=host:port,id=host:port,...}, into Ratis peers. */
public final class Peers {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Peers() {}

    /** @throws IllegalArgumentException naming the entry that is wrong */
    public static List<RaftPeer> parse(String list) {
        List<RaftPeer> peers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (String entry : list.split(",", -1)) {
            String e = entry.trim();
            int eq = e.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--peers: '" + e + "' is not id=host:port");
            }
            String id = e.substring(0, eq);
            String address = e.substring(eq + 1);
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        "--peers: node id '" + id + "' must be 1-64 letters, digits, '_', '.' or '-'");
            }
            checkAddress(address);
            if (!ids.add(id)) {
                throw new IllegalArgumentException("--peers: node id " + id + " appears twice");
            }
            if (!addresses.add(address)) {
                throw new IllegalArgumentException("--peers: address " + address + " appears twice");
            }
            peers.add(RaftPeer.newBuilder()
                    .setId(RaftPeerId.valueOf(id))
                    .setAddress(address)
                    .build());
        }
        return peers;
    }

    /** host:port with a port in 1..65535. */
    static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--peers: '" + address + "' is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--peers: the port of '" + address + "' must be 1..65535");
        }
    }

    static int port(RaftPeer peer) {
        String a = peer.getAddress();
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }
}
