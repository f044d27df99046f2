package dev.streamformer.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a SentencePiece {@code .model} file holds that a tokenizer needs: its pieces with their scores, the kind of model
 * it was trained as, and its normalization. The file is a protobuf {@code ModelProto} (sentencepiece_model.proto); the
 * few fields read here are decoded straight from the protobuf wire format, every other field is skipped.
 *
 * @param pieces        the vocabulary in SentencePiece id order
 * @param modelType     {@code trainer_spec.model_type}: 1 Unigram, 2 BPE, 3 word, 4 char
 * @param charsMap      {@code normalizer_spec.precompiled_charsmap}: the compiled normalization rules (empty: none)
 * @param addDummyPrefix {@code normalizer_spec.add_dummy_prefix}: a space is put before the text (default true)
 */
record SentencePieceModelFile(List<Piece> pieces, int modelType, byte[] charsMap, boolean addDummyPrefix) {

    static final int UNIGRAM = 1;

    /** A piece: its text ({@code ▁} for a space), its log-probability, and its type (1 normal, 2 unknown, 3 control, ...). */
    record Piece(String text, float score, int type) {}

    // field numbers in sentencepiece_model.proto
    private static final int MODEL_PIECES = 1, MODEL_TRAINER_SPEC = 2, MODEL_NORMALIZER_SPEC = 3;
    private static final int PIECE_TEXT = 1, PIECE_SCORE = 2, PIECE_TYPE = 3;
    private static final int TRAINER_MODEL_TYPE = 3;
    private static final int NORMALIZER_CHARSMAP = 2, NORMALIZER_ADD_DUMMY_PREFIX = 3;

    // protobuf wire types
    private static final int VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, FIXED32 = 5;

    static SentencePieceModelFile read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the SentencePiece model " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The SentencePiece model " + file + " is not a valid ModelProto (" + e.getMessage()
                    + "): save the tokenizer again, or give its tokenizer.json.", e);
        }
    }

    static SentencePieceModelFile parse(byte[] bytes) {
        List<Piece> pieces = new ArrayList<>();
        int modelType = UNIGRAM;     // the proto's default
        byte[] charsMap = new byte[0];
        boolean addDummyPrefix = true;
        Wire model = new Wire(ByteBuffer.wrap(bytes));
        while (model.hasMore()) {
            int tag = model.varint32();
            switch (tag >>> 3) {
                case MODEL_PIECES -> pieces.add(piece(model.message()));
                case MODEL_TRAINER_SPEC -> {
                    Wire trainer = model.message();
                    while (trainer.hasMore()) {
                        int t = trainer.varint32();
                        if (t >>> 3 == TRAINER_MODEL_TYPE) modelType = trainer.varint32();
                        else trainer.skip(t & 7);
                    }
                }
                case MODEL_NORMALIZER_SPEC -> {
                    Wire normalizer = model.message();
                    while (normalizer.hasMore()) {
                        int t = normalizer.varint32();
                        switch (t >>> 3) {
                            case NORMALIZER_CHARSMAP -> charsMap = normalizer.bytes();
                            case NORMALIZER_ADD_DUMMY_PREFIX -> addDummyPrefix = normalizer.varint32() != 0;
                            default -> normalizer.skip(t & 7);
                        }
                    }
                }
                default -> model.skip(tag & 7);
            }
        }
        if (pieces.isEmpty()) throw new IllegalArgumentException("no pieces");
        return new SentencePieceModelFile(List.copyOf(pieces), modelType, charsMap, addDummyPrefix);
    }

    private static Piece piece(Wire wire) {
        String text = null;
        float score = 0;
        int type = 1;   // NORMAL, the proto's default
        while (wire.hasMore()) {
            int tag = wire.varint32();
            switch (tag >>> 3) {
                case PIECE_TEXT -> text = new String(wire.bytes(), StandardCharsets.UTF_8);
                case PIECE_SCORE -> score = wire.float32();
                case PIECE_TYPE -> type = wire.varint32();
                default -> wire.skip(tag & 7);
            }
        }
        if (text == null) throw new IllegalArgumentException("a piece without text");
        return new Piece(text, score, type);
    }

    /** A cursor over protobuf wire-format bytes (little-endian fixed fields, base-128 varints). */
    private record Wire(ByteBuffer buffer) {

        Wire {
            buffer.order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean hasMore() { return buffer.hasRemaining(); }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buffer.get();
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) return value;
            }
            throw new IllegalArgumentException("a varint longer than 10 bytes");
        }

        int varint32() { return (int) varint(); }

        float float32() { return buffer.getFloat(); }

        byte[] bytes() {
            byte[] out = new byte[varint32()];
            buffer.get(out);
            return out;
        }

        /** The embedded message that follows, as its own cursor; this one moves past it. */
        Wire message() {
            int length = varint32();
            ByteBuffer slice = buffer.slice(buffer.position(), length);
            buffer.position(buffer.position() + length);
            return new Wire(slice);
        }

        void skip(int wireType) {
            switch (wireType) {
                case VARINT -> varint();
                case FIXED64 -> buffer.position(buffer.position() + 8);
                case LENGTH_DELIMITED -> {
                    int length = varint32();   // read before the position below: it moves the position
                    buffer.position(buffer.position() + length);
                }
                case FIXED32 -> buffer.position(buffer.position() + 4);
                default -> throw new IllegalArgumentException("unknown wire type " + wireType);
            }
        }
    }
}
