package dev.streamformer.task;

/** A text longer than the model's maximum length while the overflow policy is {@link Overflow#REJECT}. */
public class TextTooLongException extends RuntimeException {
    public TextTooLongException(int maxLength) {
        super("The text has more than " + maxLength + " tokens, the model's maximum:"
                + " shorten it, or keep its first tokens with --overflow truncate (topology file: overflow: truncate).");
    }
}
