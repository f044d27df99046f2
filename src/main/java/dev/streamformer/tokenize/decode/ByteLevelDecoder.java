package dev.streamformer.tokenize.decode;

import dev.streamformer.tokenize.text.ByteLevelAlphabet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Byte-level tokens back to text: each character stands for one byte ({@link ByteLevelAlphabet}); a token with a
 * character that stands for no byte (an added token such as {@code <|endoftext|>}) contributes its own UTF-8 bytes.
 * The bytes of all tokens are decoded as UTF-8 together, invalid sequences becoming U+FFFD.
 */
public final class ByteLevelDecoder implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String token : tokens) {
            byte[] tokenBytes = bytesOf(token);
            bytes.write(tokenBytes, 0, tokenBytes.length);
        }
        return List.of(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    }

    private static byte[] bytesOf(String token) {
        int[] cps = token.codePoints().toArray();
        byte[] out = new byte[cps.length];
        for (int i = 0; i < cps.length; i++) {
            int b = ByteLevelAlphabet.byteOf(cps[i]);
            if (b < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            out[i] = (byte) b;
        }
        return out;
    }
}
