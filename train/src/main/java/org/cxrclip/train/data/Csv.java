package org.cxrclip.train.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * RFC 4180 CSV: comma-separated, fields optionally double-quoted, "" inside quotes for a quote, newlines
 * allowed inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark ignored, gzip when the name ends in .gz.
 * Errors name the file and line, including bytes that are not UTF-8 and gzip data that is damaged or cut short
 * (whose JDK exceptions name neither).
 */
public final class Csv {
    private Csv() {}

    /** A parsed table: the header and the rows (each padded or checked to the header's width). */
    public record Table(Path file, List<String> header, List<List<String>> rows, List<Integer> lineNumbers) {
        public int column(String name) {
            return header.indexOf(name);
        }
    }

    /** Opens {@code file} as strict UTF-8 text, gunzipping it when its name ends in .gz (MIMIC ships .csv.gz). */
    static BufferedReader open(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(bytes(file), strictUtf8()), 1 << 16);
    }

    private static InputStream bytes(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) return in;
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (IOException e) {
            in.close();
            throw gzipError(file, e);
        }
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * The line (1-based, counting every '\n' before it) of the first bytes that are not UTF-8. The reader's decoder
     * reports such bytes a buffer ahead of the parser, so the parser's own line count cannot say where they are.
     */
    private static int lineOfBadUtf8(Path file) throws IOException {
        CharsetDecoder decoder = strictUtf8();
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        CharBuffer chars = CharBuffer.allocate(1 << 16);  // UTF-8 never gives more chars than bytes
        int line = 1;
        try (InputStream in = bytes(file)) {
            while (true) {
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n > 0) bytes.position(bytes.position() + n);
                bytes.flip();
                int from = bytes.position();
                CoderResult r = decoder.decode(bytes, chars, n < 0);
                for (int i = from; i < bytes.position(); i++) if (bytes.get(i) == '\n') line++;
                if (r.isError()) return line;
                if (n < 0) return line;
                chars.clear();
                bytes.compact();
            }
        } catch (ZipException | EOFException e) {
            return line;  // damaged gzip after the bad bytes: they were seen, and this line holds them
        }
    }

    private static IOException gzipError(Path file, IOException e) {
        return new IOException(file + ": damaged or truncated gzip data (" + (e.getMessage() == null ? e.getClass()
                .getSimpleName() : e.getMessage()) + ")", e);
    }

    public static Table read(Path file) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (BufferedReader r = open(file)) {
            int line = 1;
            StringBuilder field = new StringBuilder();
            List<String> record = new ArrayList<>();
            boolean quoted = false, fieldStarted = false, first = true;
            int recordLine = 1;
            int c;
            while ((c = r.read()) != -1) {
                if (first && c == 0xFEFF) {
                    first = false;
                    continue;
                }
                first = false;
                if (quoted) {
                    if (c == '"') {
                        r.mark(1);
                        int n = r.read();
                        if (n == '"') field.append('"');
                        else {
                            quoted = false;
                            if (n != -1) r.reset();
                        }
                    } else {
                        if (c == '\n') line++;
                        field.append((char) c);
                    }
                    continue;
                }
                switch (c) {
                    case '"' -> {
                        if (field.length() > 0)
                            throw new IOException(file + ":" + line + ": quote inside an unquoted field");
                        quoted = true;
                        fieldStarted = true;
                    }
                    case ',' -> {
                        record.add(field.toString());
                        field.setLength(0);
                        fieldStarted = true;
                    }
                    case '\r' -> { }
                    case '\n' -> {
                        if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
                            record.add(field.toString());
                            records.add(record);
                            lines.add(recordLine);
                        }
                        record = new ArrayList<>();
                        field.setLength(0);
                        fieldStarted = false;
                        line++;
                        recordLine = line;
                    }
                    default -> field.append((char) c);
                }
            }
            if (quoted) throw new IOException(file + ":" + recordLine + ": unterminated quoted field");
            if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
                record.add(field.toString());
                records.add(record);
                lines.add(recordLine);
            }
        } catch (CharacterCodingException e) {
            throw new IOException(file + ":" + lineOfBadUtf8(file) + ": not UTF-8 text (" + e.getMessage() + ")", e);
        } catch (ZipException | EOFException e) {
            throw gzipError(file, e);
        }
        if (records.isEmpty()) throw new IOException(file + ": empty CSV (no header)");
        List<String> header = records.remove(0);
        lines.remove(0);
        for (int i = 0; i < header.size(); i++) header.set(i, header.get(i).trim());
        for (int i = 0; i < records.size(); i++) {
            List<String> row = records.get(i);
            if (row.size() != header.size())
                throw new IOException(file + ":" + lines.get(i) + ": " + row.size() + " fields, the header has "
                        + header.size());
        }
        return new Table(file, List.copyOf(header), records, lines);
    }
}
