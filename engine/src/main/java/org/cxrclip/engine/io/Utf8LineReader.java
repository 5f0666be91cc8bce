package org.cxrclip.engine.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a text file line by line as strict UTF-8, so that bytes which are not UTF-8 are reported with the file
 * and the 1-based line that holds them. A {@code BufferedReader} decodes a buffer ahead of the line it returns, so
 * its {@code MalformedInputException} can say neither, and lines before the bad one in that buffer are lost.
 * Lines end as {@link java.io.BufferedReader#readLine()} ends them: at {@code \n}, {@code \r\n} or a lone
 * {@code \r}. Splitting bytes there and decoding each line alone gives the same text as decoding the whole file,
 * because in UTF-8 those bytes never occur inside a multi-byte sequence.
 */
public final class Utf8LineReader implements Closeable {
    /** Bytes that are not UTF-8; the message names the file, the line and the byte within the line. */
    public static final class NotUtf8Exception extends CharacterCodingException {
        private final String message;
        private final int line;

        NotUtf8Exception(Path file, int line, int byteInLine, byte[] bytes) {
            StringBuilder hex = new StringBuilder();
            for (byte b : bytes) hex.append(hex.isEmpty() ? "" : " ").append(String.format("0x%02X", b & 0xff));
            this.message = file + ":" + line + ": not UTF-8 text (malformed " + (bytes.length == 1 ? "byte " : "bytes ")
                    + hex + " at byte " + byteInLine + " of line " + line + ")";
            this.line = line;
        }

        /** The 1-based line holding the bad bytes. */
        public int line() {
            return line;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    private final Path file;
    private final InputStream in;
    private final byte[] buffer;
    private int pos, limit;
    private byte[] line = new byte[256];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int lineNumber;

    /** Opens {@code file}; close the reader when done. */
    public Utf8LineReader(Path file) throws IOException {
        this(file, 1 << 16);
    }

    /** Every line of {@code file}, as {@code Files.readAllLines} but naming the line that is not UTF-8. */
    public static java.util.List<String> readAllLines(Path file) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        try (Utf8LineReader r = new Utf8LineReader(file)) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        return lines;
    }

    Utf8LineReader(Path file, int bufferSize) throws IOException {
        this.file = file;
        this.in = Files.newInputStream(file);
        this.buffer = new byte[bufferSize];
    }

    /**
     * The next line without its terminator, or null at the end of the file.
     *
     * @throws NotUtf8Exception if the line is not UTF-8 ({@link #lineNumber()} is then that line's number)
     */
    public String readLine() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) break;
            byte b = buffer[pos++];
            any = true;
            if (b == '\n') break;
            if (b == '\r') {
                if ((pos < limit || fill()) && buffer[pos] == '\n') pos++;
                break;
            }
            if (length == line.length) line = Arrays.copyOf(line, 2 * length);
            line[length++] = b;
        }
        if (!any) return null;
        lineNumber++;
        return decode(length);
    }

    /** The 1-based number of the line {@link #readLine()} last returned (or failed on); 0 before the first. */
    public int lineNumber() {
        return lineNumber;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    private String decode(int length) throws NotUtf8Exception {
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
        CharBuffer chars = CharBuffer.allocate(length);  // UTF-8 never gives more chars than bytes
        decoder.reset();
        CoderResult r = decoder.decode(bytes, chars, true);
        if (!r.isError()) r = decoder.flush(chars);
        if (r.isError()) {
            int at = bytes.position();
            throw new NotUtf8Exception(file, lineNumber, at + 1, Arrays.copyOfRange(line, at, at + r.length()));
        }
        return chars.flip().toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
