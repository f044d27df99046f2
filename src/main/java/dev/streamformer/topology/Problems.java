package dev.streamformer.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mistakes found in one topology file, each {@code FILE:LINE: key: what is wrong; what is allowed}, in file order.
 * One mistake per place: a value already reported (a wrong type, say) is not reported again as missing.
 */
final class Problems {

    private record Problem(int line, int order, String pointer, String message) {}

    private final String fileName;
    private final LineIndex lines;
    private final Map<String, Problem> byPointer = new LinkedHashMap<>();
    private final java.util.Set<String> covered = new java.util.HashSet<>();

    Problems(String fileName, LineIndex lines) {
        this.fileName = fileName;
        this.lines = lines;
    }

    /** Reports a mistake at {@code pointer} (a JSON pointer: {@code /stages/0/task}); {@code key} as the user writes it. */
    void add(String pointer, String key, String message) {
        add(pointer, lines.line(pointer), key, message);
    }

    /** Reports a mistake at a given line (a repeated key: the line of the repeat). */
    void add(String pointer, int line, String key, String message) {
        if (reported(pointer)) return;
        byPointer.put(pointer, new Problem(line, byPointer.size(), pointer, fileName + ":" + line + ": " + key + ": " + message));
    }

    /**
     * Marks {@code pointer} as covered by a mistake reported elsewhere (a misspelt key covers the key it stands for, so
     * that one is not reported again as missing).
     */
    void cover(String pointer) {
        covered.add(pointer);
    }

    /** Whether a mistake was reported at {@code pointer} or inside it. */
    boolean reported(String pointer) {
        if (covered.contains(pointer)) return true;
        for (String p : byPointer.keySet()) if (p.equals(pointer) || p.startsWith(pointer + "/")) return true;
        return false;
    }

    boolean isEmpty() { return byPointer.isEmpty(); }

    int size() { return byPointer.size(); }

    List<String> messages() {
        List<Problem> all = new ArrayList<>(byPointer.values());
        all.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : Integer.compare(a.order(), b.order()));
        return all.stream().map(Problem::message).toList();
    }

    /** Throws every mistake at once, one per line, when there is any. */
    void throwIfAny() {
        if (!isEmpty()) throw new TopologyException(String.join("\n", messages()), messages());
    }
}
