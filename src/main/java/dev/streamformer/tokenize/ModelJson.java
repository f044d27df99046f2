package dev.streamformer.tokenize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code model} block of a {@code tokenizer.json}, read straight from the parser: a vocabulary and merge list can
 * hold hundreds of thousands of entries (Gemma 3: 262,144 tokens and 514,906 merges), and building a JSON tree of
 * them first took most of the load time. Every other field of the block is kept as a small tree in {@link #options}.
 */
final class ModelJson {

    /** The block's fields other than {@code vocab} and {@code merges} ({@code type}, {@code unk_token}, ...). */
    final ObjectNode options = JsonNodeFactory.instance.objectNode();
    /** A vocabulary given as an object (WordPiece, BPE): tokens and their ids, in file order; null otherwise. */
    String[] tokens;
    int[] ids;
    /**
     * A vocabulary given as an array of {@code [piece, score]} (Unigram), in id order; null otherwise. Scores are read
     * as HF tokenizers reads them ({@link SerdeJsonFloats}).
     */
    String[] pieces;
    double[] scores;
    /** BPE merges in rank order, each {@code {left, right}}. */
    final List<String[]> merges = new ArrayList<>();

    /** Reads the object the parser is at (its START_OBJECT is the current token). */
    static ModelJson read(JsonParser parser) throws IOException {
        ModelJson model = new ModelJson();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("vocab") && value == JsonToken.START_OBJECT) {
                model.readTokenIds(parser);
            } else if (name.equals("vocab") && value == JsonToken.START_ARRAY) {
                model.readPieceScores(parser);
            } else if (name.equals("merges") && value == JsonToken.START_ARRAY) {
                model.readMerges(parser);
            } else {
                model.options.set(name, parser.readValueAsTree());
            }
        }
        return model;
    }

    private void readTokenIds(JsonParser parser) throws IOException {
        List<String> names = new ArrayList<>();
        int[] values = new int[1024];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            names.add(parser.currentName());
            parser.nextToken();
            if (names.size() > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[names.size() - 1] = parser.getIntValue();
        }
        tokens = names.toArray(new String[0]);
        ids = Arrays.copyOf(values, tokens.length);
    }

    private void readPieceScores(JsonParser parser) throws IOException {
        List<String> names = new ArrayList<>();
        double[] values = new double[1024];
        while (parser.nextToken() == JsonToken.START_ARRAY) {
            parser.nextToken();
            names.add(parser.getText());
            parser.nextToken();
            if (names.size() > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[names.size() - 1] = SerdeJsonFloats.parse(parser.getText());
            if (parser.nextToken() != JsonToken.END_ARRAY) {
                throw new IOException("a Unigram vocabulary entry is not [piece, score]");
            }
        }
        pieces = names.toArray(new String[0]);
        scores = Arrays.copyOf(values, pieces.length);
    }

    /** Merges are {@code "left right"} strings (older files) or {@code ["left", "right"]} arrays. */
    private void readMerges(JsonParser parser) throws IOException {
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t == JsonToken.START_ARRAY) {
                parser.nextToken();
                String left = parser.getText();
                parser.nextToken();
                String right = parser.getText();
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    throw new IOException("a BPE merge is not [left, right]");
                }
                merges.add(new String[] {left, right});
            } else {
                String text = parser.getText();
                int space = text.indexOf(' ', 1);
                if (space < 0) {
                    throw new IOException("the BPE merge \"" + text + "\" has no space between its two parts");
                }
                merges.add(new String[] {text.substring(0, space), text.substring(space + 1)});
            }
        }
    }

    /** An option, or a missing node. */
    JsonNode path(String name) {
        return options.path(name);
    }
}
