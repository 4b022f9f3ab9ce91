package org.triage.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The command's standard output (picocli's {@link PrintWriter}, which tests capture) as a byte
 * stream, for a report or listing written to "-": the writers produce UTF-8 JSON. A character
 * split across two writes is carried over. A PrintWriter swallows errors, so each flush asks it
 * (a closed pipe, a full disk behind a redirection) and turns an error into an IOException.
 * Not closed by its users: the command owns standard output. One thread at a time.
 */
final class TextOutputStream extends OutputStream {
    private final PrintWriter out;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer carry = ByteBuffer.allocate(8);
    private char[] chars = new char[8192];

    TextOutputStream(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer in;
        if (carry.position() > 0) {
            in = ByteBuffer.allocate(carry.position() + len);
            in.put(carry.flip()).put(b, off, len).flip();
            carry.clear();
        } else {
            in = ByteBuffer.wrap(b, off, len);
        }
        if (chars.length < len + 8) chars = new char[len + 8];
        CharBuffer decoded = CharBuffer.wrap(chars);
        utf8.decode(in, decoded, false);
        out.write(chars, 0, decoded.position());
        carry.put(in); // at most the first bytes of one character
    }

    @Override
    public void flush() throws IOException {
        if (out.checkError()) throw new IOException("standard output could not be written");
    }
}
