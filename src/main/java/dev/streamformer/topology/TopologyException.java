package dev.streamformer.topology;

import java.util.List;

/**
 * Mistakes in a topology file: the message holds one line per mistake, each naming the file, line and key, and saying
 * what is allowed; {@link #problems()} lists them.
 */
public class TopologyException extends RuntimeException {
    private final List<String> problems;

    public TopologyException(String message) { this(message, List.of(message)); }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    TopologyException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Every mistake, {@code FILE:LINE: key: what is wrong; what is allowed}, in file order. */
    public List<String> problems() { return problems; }
}
