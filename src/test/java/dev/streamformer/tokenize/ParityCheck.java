package dev.streamformer.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Compares our tokenizer with Hugging Face tokenizers (Rust, through DJL) on many texts: ids, type ids, offsets and
 * special-token masks must be identical. Collects the first mismatches for the failure message.
 */
final class ParityCheck {

    static {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private static final int BATCH = 512;
    private static final int SHOWN = 5;

    final String label;
    int compared;
    int identical;
    final List<String> mismatches = new ArrayList<>();

    ParityCheck(String label) {
        this.label = label;
    }

    /** A DJL tokenizer with the options (padding is always off: encode does not pad). */
    static HuggingFaceTokenizer reference(Path file, Map<String, String> options) {
        try {
            return HuggingFaceTokenizer.newInstance(file, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reference options: no truncation, or HF's longest_first at {@code maxLength}. */
    static Map<String, String> options(int maxLength) {
        return maxLength <= 0 ? Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true")
                : Map.of("truncation", "true", "maxLength", Integer.toString(maxLength), "padding", "false",
                "addSpecialTokens", "true");
    }

    void encodeAll(HuggingFaceTokenizer reference, Tokenizer ours, List<String> texts) {
        encodeAll(reference, ours, texts, true);
    }

    /**
     * Encodes every text with both, with or without the post-processor's special tokens; returns HF's ids of each
     * text (for {@link #decodeAll(HuggingFaceTokenizer, Tokenizer, List, long[][], boolean)}).
     */
    long[][] encodeAll(HuggingFaceTokenizer reference, Tokenizer ours, List<String> texts, boolean addSpecialTokens) {
        long[][] referenceIds = new long[texts.size()][];
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + BATCH));
            ai.djl.huggingface.tokenizers.Encoding[] expected = reference.batchEncode(batch, addSpecialTokens, false);
            for (int i = 0; i < batch.size(); i++) {
                referenceIds[from + i] = expected[i].getIds();
                compare(batch.get(i), null, expected[i], ours.encode(batch.get(i), addSpecialTokens));
            }
        }
        return referenceIds;
    }

    /** Decodes HF's ids of each text with both (special tokens skipped); the texts must come out identical. */
    void decodeAll(HuggingFaceTokenizer reference, Tokenizer ours, List<String> texts) {
        for (String text : texts) {
            long[] ids = reference.encode(text).getIds();
            String expected = reference.decode(ids, true);
            String actual = ours.decode(Arrays.stream(ids).mapToInt(Math::toIntExact).toArray());
            compared++;
            if (expected.equals(actual)) {
                identical++;
            } else if (mismatches.size() < SHOWN) {
                mismatches.add("text " + quote(text) + ": decoded " + quote(expected) + " != ours " + quote(actual));
            }
        }
    }

    /** Decodes the given ids of each text with both, skipping special tokens or not; the texts must come out identical. */
    void decodeAll(HuggingFaceTokenizer reference, Tokenizer ours, List<String> texts, long[][] ids,
                   boolean skipSpecialTokens) {
        for (int from = 0; from < texts.size(); from += BATCH) {
            int to = Math.min(texts.size(), from + BATCH);
            String[] expected = reference.batchDecode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
            for (int i = from; i < to; i++) {
                String actual = ours.decode(Arrays.stream(ids[i]).mapToInt(Math::toIntExact).toArray(), skipSpecialTokens);
                compared++;
                if (expected[i - from].equals(actual)) {
                    identical++;
                } else if (mismatches.size() < SHOWN) {
                    mismatches.add("text " + quote(texts.get(i)) + ": decoded " + quote(expected[i - from]) + " != ours "
                            + quote(actual));
                }
            }
        }
    }

    void encodePairs(HuggingFaceTokenizer reference, Tokenizer ours, List<String> firsts, List<String> seconds) {
        for (int i = 0; i < firsts.size(); i++) {
            compare(firsts.get(i), seconds.get(i), reference.encode(firsts.get(i), seconds.get(i)),
                    ours.encodePair(firsts.get(i), seconds.get(i)));
        }
    }

    private void compare(String text, String pair, ai.djl.huggingface.tokenizers.Encoding expected, Encoding actual) {
        compared++;
        long[] ids = expected.getIds();
        long[] types = expected.getTypeIds();
        long[] special = expected.getSpecialTokenMask();
        CharSpan[] spans = expected.getCharTokenSpans();
        String problem = null;
        if (!Arrays.equals(ids, toLong(actual.ids()))) {
            int at = 0;
            while (at < ids.length && at < actual.ids().length && ids[at] == actual.ids()[at]) {
                at++;
            }
            problem = "ids differ from token " + at + " (of " + ids.length + " / ours " + actual.length() + "): "
                    + window(expected.getTokens(), at) + " != ours " + window(actual.tokens(), at);
        } else if (!Arrays.equals(types, toLong(actual.typeIds()))) {
            problem = "type ids " + Arrays.toString(types) + " != ours " + Arrays.toString(actual.typeIds());
        } else if (!Arrays.equals(special, toLong(actual.specialTokensMask()))) {
            problem = "special mask " + Arrays.toString(special) + " != ours " + Arrays.toString(actual.specialTokensMask());
        } else {
            for (int t = 0; t < ids.length && problem == null; t++) {
                int start = spans[t] == null ? 0 : spans[t].getStart();
                int end = spans[t] == null ? 0 : spans[t].getEnd();
                if (start != actual.offsets()[t][0] || end != actual.offsets()[t][1]) {
                    problem = "offsets of token " + t + " (" + expected.getTokens()[t] + ") [" + start + ", " + end
                            + ") != ours " + Arrays.toString(actual.offsets()[t]);
                }
            }
        }
        if (problem == null) {
            identical++;
        } else if (mismatches.size() < SHOWN) {
            mismatches.add("text " + quote(text) + (pair == null ? "" : " + " + quote(pair)) + ": " + problem);
        }
    }

    private static String window(String[] tokens, int at) {
        return Arrays.toString(Arrays.copyOfRange(tokens, Math.max(0, at - 3), Math.min(tokens.length, at + 4)));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().limit(120).forEach(c -> {
            if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04X", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append('"').toString();
    }

    private static long[] toLong(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }

    String summary() {
        return String.format("%s: %,d/%,d identical", label, identical, compared);
    }

    /** True when at least one text was compared and every comparison was identical: comparing nothing is a failure. */
    boolean allIdentical() {
        return compared > 0 && identical == compared;
    }
}
