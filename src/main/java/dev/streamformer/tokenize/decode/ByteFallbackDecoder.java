package dev.streamformer.tokenize.decode;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte tokens ({@code <0x41>}) back to text: runs of them are decoded as UTF-8; a run that is not valid UTF-8 becomes
 * one U+FFFD per byte. Other tokens pass through.
 */
public final class ByteFallbackDecoder implements Decoder {

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        int runLength = 0;
        for (String token : tokens) {
            int b = byteOf(token);
            if (b >= 0) {
                run.write(b);
                runLength++;
                continue;
            }
            if (runLength > 0) {
                flush(run, runLength, out);
                runLength = 0;
            }
            out.add(token);
        }
        if (runLength > 0) {
            flush(run, runLength, out);
        }
        return out;
    }

    private static void flush(ByteArrayOutputStream run, int runLength, List<String> out) {
        try {
            out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(run.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            for (int i = 0; i < runLength; i++) {
                out.add("\uFFFD");
            }
        }
        run.reset();
    }

    /** The byte of a {@code <0xXX>} token, or -1. */
    static int byteOf(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
            return -1;
        }
        try {
            return Integer.parseInt(token.substring(3, 5), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
