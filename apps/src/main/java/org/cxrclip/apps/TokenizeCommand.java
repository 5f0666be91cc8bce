package org.cxrclip.apps;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cxrclip.clip.tokenizer.JsonLine;
import org.cxrclip.clip.tokenizer.SimpleTokenizer;
import org.cxrclip.clip.tokenizer.VocabularyLocator;
import org.cxrclip.engine.io.Utf8LineReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cxrclip tokenize --jsonl FILE}: CLIP token ids for each {@code {"text": ...}} line, one JSON array per
 * line, in input order, with the start and end markers and without padding; the same ids as the {@code ids}
 * field of the shared tokenizer goldens. With {@code --truncate}, texts longer than the context come out as
 * {@code clip.tokenize(..., truncate=True)} keeps them (the goldens' {@code ids_truncated_77}); without it they
 * are printed in full and a note on stderr says clip.tokenize would reject them. Blank lines are skipped and
 * other fields ignored; the first malformed line (bad JSON, or bytes that are not UTF-8) stops the run with an
 * error naming the file and line (lines before it have been printed).
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print CLIP BPE token ids (start and end markers, no padding) for each {\"text\": ...} line"
                + " of a JSON-lines file, one JSON array per line.")
final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--jsonl", required = true, paramLabel = "FILE",
            description = "JSON lines, each an object with a string field \"text\".")
    Path jsonl;

    @Option(names = "--truncate",
            description = "Cut texts longer than --context to that many ids, the last being the end marker.")
    boolean truncate;

    @Option(names = "--vocab", paramLabel = "PATH",
            description = "bpe_simple_vocab_16e6.txt.gz (default: $CXRCLIP_VOCAB, else ~/.cache/cxrclip/, "
                    + "downloaded there once).")
    Path vocab;

    @Option(names = "--context", defaultValue = "77", paramLabel = "N",
            description = "Context length, markers included (default ${DEFAULT-VALUE}).")
    int context;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (context < 2) {
            err.println("tokenize: --context must be at least 2 (room for the start and end markers), got " + context);
            return 2;
        }
        SimpleTokenizer tokenizer;
        try {
            tokenizer = SimpleTokenizer.load(new VocabularyLocator().locate(vocab));
        } catch (IOException e) {
            err.println("tokenize: " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Utf8LineReader reader = new Utf8LineReader(jsonl)) {
            for (String line; (line = reader.readLine()) != null; ) {
                int lineNumber = reader.lineNumber();
                if (line.isBlank()) {
                    continue;
                }
                int[] ids;
                try {
                    ids = tokenizer.encodeWithMarkers(text(line));
                } catch (IllegalArgumentException e) {
                    out.flush();
                    err.println("tokenize: " + jsonl + ":" + lineNumber + ": " + e.getMessage());
                    return 1;
                }
                if (ids.length > context) {
                    if (truncate) {
                        ids = SimpleTokenizer.truncated(ids, context);
                    } else {
                        err.println("tokenize: " + jsonl + ":" + lineNumber + ": " + ids.length + " ids exceed --context "
                                + context + "; printed in full, but clip.tokenize would reject this text (see --truncate)");
                    }
                }
                out.println(jsonArray(ids));
            }
        } catch (Utf8LineReader.NotUtf8Exception e) {
            out.flush();
            err.println("tokenize: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            out.flush();
            err.println("tokenize: cannot read " + jsonl + ": " + e);
            return 1;
        }
        out.flush();
        return 0;
    }

    private static String text(String line) {
        Map<String, Object> object = JsonLine.parseObject(line);
        if (!(object.get("text") instanceof String text)) {
            throw new IllegalArgumentException(object.containsKey("text")
                    ? "field \"text\" is not a string" : "no field \"text\"");
        }
        return text;
    }

    /** Python's {@code json.dumps} spacing, so output lines compare equal to the golden files' arrays. */
    static String jsonArray(int[] ids) {
        StringBuilder s = new StringBuilder(ids.length * 7 + 2).append('[');
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(ids[i]);
        }
        return s.append(']').toString();
    }
}
