package org.cxrclip.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON our commands write, checked as text: key order kept, non-finite numbers null, strings escaped. */
class JsonTest {
    @Test
    void compactKeepsKeyOrderEscapesAndWritesNullForNonFinite() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(0.5, Double.NaN, 0.25f, Float.POSITIVE_INFINITY));
        m.put("path", Path.of("/tmp/x y.csv"));
        m.put("nested", DemoPipeline.map("q", "say \"hi\"\n<ok>", "b", true, "n", null, "l", 12345678901L));
        assertEquals("{\"z\":1,\"a\":[0.5,null,0.25,null],\"path\":\"/tmp/x y.csv\","
                + "\"nested\":{\"q\":\"say \\\"hi\\\"\\n<ok>\",\"b\":true,\"n\":null,\"l\":12345678901}}", Json.compact(m));
    }

    @Test
    void prettyIndentsByTwoSpaces() {
        assertEquals("{\n  \"a\": [\n    1\n  ]\n}", Json.pretty(Map.of("a", List.of(1))));
    }

    @Test
    void anUnknownTypeIsAnErrorNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> Json.compact(List.of(new Object())));
        assertEquals("json: cannot write java.lang.Object", e.getMessage());
    }
}
