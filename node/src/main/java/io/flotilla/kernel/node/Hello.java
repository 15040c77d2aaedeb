package io.flotilla.kernel.node;

/** What a node said about itself in its HELLO, checked field by field: the words are the peer's. */
record Hello(int node, int nodes, int firstCore, int lastCore, long pid, String topology, String host,
        String hostId) {
    Hello {
        check(node < 0xFFFF, "node id", node);
        check(nodes >= 1 && node < nodes, "node count", nodes);
        check(firstCore >= 0 && lastCore >= firstCore, "core range", Integer.toUnsignedString(firstCore) + "-"
                + Integer.toUnsignedString(lastCore));
        checkText(topology, "topology", false);
        checkText(host, "host", false);
        checkText(hostId, "host identity", true);
    }

    private static void check(boolean ok, String field, Object value) {
        if (!ok) {
            throw new PeerProtocolException("HELLO with an invalid " + field + ": " + value);
        }
    }

    /** Names and identities end up in logs, paths and addresses: printable, and present where required. */
    private static void checkText(String s, String field, boolean mayBeEmpty) {
        if (s.isEmpty() && !mayBeEmpty) {
            throw new PeerProtocolException("HELLO with an empty " + field);
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new PeerProtocolException("HELLO whose " + field + " has a control character at " + i);
            }
        }
    }
}
