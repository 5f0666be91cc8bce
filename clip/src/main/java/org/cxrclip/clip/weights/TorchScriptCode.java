package org.cxrclip.clip.weights;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells, for a TorchScript module class, which of its tensor attributes are parameters or buffers. data.pkl holds
 * every attribute of a scripted module, including plain tensor attributes that are not in its state dict (openai
 * CLIP's {@code attn_mask}); the generated code declares the real ones in {@code __parameters__} and
 * {@code __buffers__} lines, read here as text (never executed). Class {@code __torch__.a.b.C} lives in
 * {@code <root>/code/__torch__/a/b.py}.
 */
final class TorchScriptCode {
    private static final Pattern NAMES = Pattern.compile("\"([^\"]*)\"");
    private static final int MAX_CODE_BYTES = 16 << 20;

    private final ZipArchive zip;
    private final String root;
    private final Map<String, String> files = new HashMap<>();

    TorchScriptCode(ZipArchive zip, String root) {
        this.zip = zip;
        this.root = root;
    }

    /** Parameter and buffer names of the class, or null when its code is not in the archive. */
    Set<String> stateAttributes(PickleValues.Global type) {
        String code = file(root + "code/" + type.module().replace('.', '/') + ".py");
        if (code == null) {
            return null;
        }
        Matcher cls = Pattern.compile("^class " + Pattern.quote(type.name()) + "\\(", Pattern.MULTILINE).matcher(code);
        if (!cls.find()) {
            return null;
        }
        int end = code.indexOf("\nclass ", cls.end());
        String body = code.substring(cls.end(), end < 0 ? code.length() : end);
        Set<String> names = new LinkedHashSet<>();
        boolean declared = false;
        for (String line : body.split("\n")) {
            String t = line.strip();
            if (t.startsWith("__parameters__ = [") || t.startsWith("__buffers__ = [")) {
                declared = true;
                Matcher m = NAMES.matcher(t);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return declared ? names : null;
    }

    private String file(String name) {
        return files.computeIfAbsent(name, n -> {
            ZipArchive.Entry e = zip.entry(n);
            if (e == null || e.size() > MAX_CODE_BYTES) {
                return null;
            }
            return new String(zip.data(n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        });
    }
}
