package dev.streamformer.tokenize.normalize;

import dev.streamformer.tokenize.text.NormalizedString;
import dev.streamformer.tokenize.text.UnicodeForms;

/** One of the Unicode normalization forms NFC, NFD, NFKC, NFKD. */
public record UnicodeNormalizer(Form form) implements Normalizer {

    public enum Form { NFC, NFD, NFKC, NFKD }

    @Override
    public void normalize(NormalizedString text) {
        switch (form) {
            case NFC -> UnicodeForms.nfc(text);
            case NFD -> UnicodeForms.nfd(text);
            case NFKC -> UnicodeForms.nfkc(text);
            case NFKD -> UnicodeForms.nfkd(text);
        }
    }
}
