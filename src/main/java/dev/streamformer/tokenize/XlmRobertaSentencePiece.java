package dev.streamformer.tokenize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * An XLM-RoBERTa {@code sentencepiece.bpe.model} as the {@code tokenizer.json} Hugging Face's converter
 * ({@code XLMRobertaConverter}) writes for it, so that a model folder saved without a {@code tokenizer.json} tokenizes
 * exactly as the same folder with one.
 *
 * <p>The layout it builds: fairseq's ids ({@code <s>}=0, {@code <pad>}=1, {@code </s>}=2, {@code <unk>}=3, then
 * SentencePiece's pieces from its id 3 on, each one id higher, {@code <mask>} last); a Unigram model with those scores;
 * the file's compiled normalization ({@code Precompiled}) and runs of spaces made one; split on whitespace and
 * {@code ▁} put before each word (SentencePiece's dummy prefix); {@code <s> A </s>} and {@code <s> A </s></s> B </s>}.
 */
final class XlmRobertaSentencePiece {

    /** The file name under which XLM-R models ship their SentencePiece model. */
    static final String FILE_NAME = "sentencepiece.bpe.model";

    private static final List<String> FAIRSEQ_SPECIALS = List.of("<s>", "<pad>", "</s>", "<unk>");
    private static final int UNK_ID = 3;
    /** SentencePiece's own ids 0..2 are {@code <unk>}, {@code <s>}, {@code </s>}; fairseq's four specials replace them. */
    private static final List<String> SENTENCEPIECE_SPECIALS = List.of("<unk>", "<s>", "</s>");

    private XlmRobertaSentencePiece() {}

    /** The tokenizer.json tree for {@code file}; refuses a model that is not laid out as XLM-R's. */
    static ObjectNode tokenizerJson(Path file) {
        SentencePieceModelFile spm = SentencePieceModelFile.read(file);
        if (spm.modelType() != SentencePieceModelFile.UNIGRAM) {
            throw new IllegalArgumentException("The SentencePiece model " + file + " is not a Unigram model (model_type "
                    + spm.modelType() + "); only XLM-R-style Unigram models are read directly: give its tokenizer.json.");
        }
        for (int i = 0; i < SENTENCEPIECE_SPECIALS.size(); i++) {
            if (!spm.pieces().get(i).text().equals(SENTENCEPIECE_SPECIALS.get(i))) {
                throw new IllegalArgumentException("The SentencePiece model " + file + " does not start with <unk>, <s>, </s> as"
                        + " XLM-R's does (piece " + i + " is '" + spm.pieces().get(i).text() + "'): give its tokenizer.json.");
            }
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("version", "1.0");

        ArrayNode vocab = json.arrayNode();
        for (String special : FAIRSEQ_SPECIALS) vocab.add(json.arrayNode().add(special).add(0.0));
        for (SentencePieceModelFile.Piece piece : spm.pieces().subList(SENTENCEPIECE_SPECIALS.size(), spm.pieces().size())) {
            vocab.add(json.arrayNode().add(piece.text()).add((double) piece.score()));
        }
        int maskId = vocab.size();
        vocab.add(json.arrayNode().add("<mask>").add(0.0));

        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < FAIRSEQ_SPECIALS.size(); id++) added.add(addedToken(id, FAIRSEQ_SPECIALS.get(id), false));
        added.add(addedToken(maskId, "<mask>", true));   // <mask> takes the spaces before it, as in fill-mask prompts

        ArrayNode normalizers = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        if (spm.charsMap().length > 0) {
            normalizers.addObject().put("type", "Precompiled")
                    .put("precompiled_charsmap", Base64.getEncoder().encodeToString(spm.charsMap()));
        }
        normalizers.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("Regex", " {2,}");

        String prependScheme = spm.addDummyPrefix() ? "always" : "never";
        ArrayNode preTokenizers = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
        preTokenizers.addObject().put("type", "WhitespaceSplit");
        preTokenizers.add(metaspace(prependScheme));

        ObjectNode model = root.putObject("model").put("type", "Unigram").put("unk_id", UNK_ID);
        model.set("vocab", vocab);
        model.put("byte_fallback", false);

        ObjectNode template = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.add(special("<s>")).add(sequence("A")).add(special("</s>"));
        ArrayNode pair = template.putArray("pair");
        pair.add(special("<s>")).add(sequence("A")).add(special("</s>")).add(special("</s>")).add(sequence("B")).add(special("</s>"));
        ObjectNode specials = template.putObject("special_tokens");
        for (String token : List.of("<s>", "</s>")) {
            ObjectNode entry = specials.putObject(token).put("id", token);
            entry.putArray("ids").add(FAIRSEQ_SPECIALS.indexOf(token));
            entry.putArray("tokens").add(token);
        }
        root.set("decoder", metaspace(prependScheme));
        return root;
    }

    private static ObjectNode addedToken(int id, String content, boolean lstrip) {
        return JsonNodeFactory.instance.objectNode().put("id", id).put("content", content).put("single_word", false)
                .put("lstrip", lstrip).put("rstrip", false).put("normalized", false).put("special", true);
    }

    private static ObjectNode metaspace(String prependScheme) {
        return JsonNodeFactory.instance.objectNode().put("type", "Metaspace").put("replacement", "\u2581")
                .put("prepend_scheme", prependScheme).put("split", true);
    }

    private static ObjectNode special(String token) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putObject("SpecialToken").put("id", token).put("type_id", 0);
        return node;
    }

    private static ObjectNode sequence(String id) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putObject("Sequence").put("id", id).put("type_id", 0);
        return node;
    }
}
