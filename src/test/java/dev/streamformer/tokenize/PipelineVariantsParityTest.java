package dev.streamformer.tokenize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Components the shared tokenizer files do not use, checked against HF tokenizers (DJL) by swapping them into those
 * files: other normalizers, pre-tokenizers, post-processors, decoders and options. Each variant encodes every 20th
 * corpus text and decodes every 200th.
 */
class PipelineVariantsParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void variantsMatchHuggingFace(@TempDir Path dir) throws IOException {
        Path bert = SharedData.requireShared("models/sst2-minilm/tokenizer.json");
        Path gpt = SharedData.requireShared("models/newsgpt-mini/tokenizer.json");
        Path t5 = SharedData.requireShared("models/t5-mini/tokenizer.json");
        Map<String, Path> variants = new LinkedHashMap<>();
        variants.put("cased BERT, Whitespace, BertProcessing", variant(dir, bert, """
                {"normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": false,
                                "strip_accents": false, "lowercase": false},
                 "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}}"""));
        variants.put("NFD+StripAccents+Lowercase+Strip, WhitespaceSplit+Punctuation(contiguous)", variant(dir, bert, """
                {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"},
                                {"type": "Lowercase"}, {"type": "Strip", "strip_left": true, "strip_right": true}]},
                 "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"},
                                {"type": "Punctuation", "behavior": "Contiguous"}]}}"""));
        variants.put("byte-level BPE with prefix space, trimmed offsets", variant(dir, gpt, """
                {"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
                 "post_processor": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}}"""));
        variants.put("byte-level BPE, RobertaProcessing, NFC", variant(dir, gpt, """
                {"normalizer": {"type": "NFC"},
                 "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", 0], "cls": ["<|endoftext|>", 0],
                                    "trim_offsets": true, "add_prefix_space": false}}"""));
        variants.put("Split(digits, isolated) + ByteLevel without regex", variant(dir, gpt, """
                {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                    {"type": "Split", "pattern": {"Regex": "\\\\p{N}{1,3}"}, "behavior": "Isolated", "invert": false},
                    {"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithNext", "invert": false},
                    {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]}}"""));
        variants.put("Unigram, Llama-style: Prepend + Replace normalizers, no pre-tokenizer, decoder sequence",
                variant(dir, t5, """
                {"normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
                                {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
                 "pre_tokenizer": null,
                 "decoder": {"type": "Sequence", "decoders": [
                    {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
                    {"type": "ByteFallback"}, {"type": "Fuse"},
                    {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}}"""));
        variants.put("Unigram, NFKD + Replace(tab), Metaspace first", variant(dir, t5, """
                {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKD"},
                                {"type": "Replace", "pattern": {"String": "\\t"}, "content": "  "}]},
                 "pre_tokenizer": {"type": "Metaspace", "replacement": "\\u2581", "prepend_scheme": "first", "split": true}}"""));
        List<String> texts = WordPieceParityTest.everyNth(SharedData.allTexts(), 20);
        List<String> summaries = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Path> v : variants.entrySet()) {
            ParityCheck check = new ParityCheck(v.getKey());
            ParityCheck decodes = new ParityCheck(v.getKey() + " decode");
            try (HuggingFaceTokenizer ref = ParityCheck.reference(v.getValue(), ParityCheck.options(0))) {
                Tokenizer ours = Tokenizer.fromFile(v.getValue()).withMaxLength(0);
                check.encodeAll(ref, ours, texts);
                decodes.decodeAll(ref, ours, WordPieceParityTest.everyNth(texts, 10));
            }
            for (ParityCheck c : List.of(check, decodes)) {
                summaries.add(c.summary());
                if (!c.allIdentical()) {
                    failures.add(c.summary() + "\n  " + String.join("\n  ", c.mismatches));
                }
            }
        }
        System.out.println(String.join("\n", summaries));
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    /** A copy of {@code base} with the top-level fields of {@code overrides} replaced. */
    private static Path variant(Path dir, Path base, String overrides) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(base.toFile());
        JSON.readTree(overrides).properties().forEach(e -> root.set(e.getKey(), e.getValue()));
        Path file = Files.createTempFile(dir, "tokenizer", ".json");
        JSON.writeValue(file.toFile(), root);
        return file;
    }
}
