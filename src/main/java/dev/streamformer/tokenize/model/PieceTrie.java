package dev.streamformer.tokenize.model;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** A trie over vocabulary pieces (code points), to find every piece that starts at a position in one walk. */
final class PieceTrie {

    /** Receives each piece found: its id and its length in code points, shortest first. */
    interface Visitor {
        void piece(int id, int length);
    }

    private static final class Node {
        int id = -1;
        int[] keys = new int[0];
        Node[] children = new Node[0];
        Map<Integer, Node> building = new TreeMap<>();

        Node child(int c) {
            int k = Arrays.binarySearch(keys, c);
            return k >= 0 ? children[k] : null;
        }

        void freeze() {
            keys = building.keySet().stream().mapToInt(Integer::intValue).toArray();
            children = building.values().toArray(new Node[0]);
            building = null;
            for (Node n : children) {
                n.freeze();
            }
        }
    }

    private final Node root = new Node();

    /** @param pieces pieces by id; for a duplicated piece the last id wins (as in HF) */
    PieceTrie(String[] pieces) {
        for (int id = 0; id < pieces.length; id++) {
            Node node = root;
            for (int c : pieces[id].codePoints().toArray()) {
                node = node.building.computeIfAbsent(c, x -> new Node());
            }
            if (node != root) {
                node.id = id;
            }
        }
        root.freeze();
    }

    /** Calls {@code visitor} for each piece that is a prefix of {@code text[start..]}, shortest first. */
    void prefixes(int[] text, int start, Visitor visitor) {
        Node node = root;
        for (int i = start; i < text.length; i++) {
            node = node.child(text[i]);
            if (node == null) {
                return;
            }
            if (node.id >= 0) {
                visitor.piece(node.id, i + 1 - start);
            }
        }
    }
}
