package io.vigil.store;

/** The id of one Vigil node among several sharing a store: 1-63 letters, digits, '.', '_' or '-'. */
public final class NodeId {
    private NodeId() {}

    /**
     * Returns {@code id} if it is a valid node id.
     *
     * @throws IllegalArgumentException saying what a node id may contain
     */
    public static String check(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("node id was " + (id == null ? "missing" : "'" + id + "'")
                    + " but it must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
