package org.cxrclip.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonAndConfigTest {
    @Test
    void jsonLinesParseBackWithGsonIncludingEscapesAndNonFiniteNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "a \"quoted\" \\ line\nnext\t\u0001");
        m.put("loss", 1.25f);
        m.put("lr", 3e-5);
        m.put("nan", Float.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("step", 7L);
        m.put("ok", true);
        m.put("nested", Map.of("k", 2));
        var o = JsonParser.parseString(Json.object(m)).getAsJsonObject();
        assertEquals("a \"quoted\" \\ line\nnext\t\u0001", o.get("text").getAsString());
        assertEquals(1.25f, o.get("loss").getAsFloat());
        assertEquals(3e-5, o.get("lr").getAsDouble(), 1e-15);
        assertTrue(o.get("nan").isJsonNull() && o.get("inf").isJsonNull());
        assertEquals(7, o.get("step").getAsLong());
        assertTrue(o.get("ok").getAsBoolean());
        assertEquals(2, o.getAsJsonObject("nested").get("k").getAsInt());
    }

    @Test
    void cmlClusterCountIsCappedAtHalfTheImages() {
        TrainConfig.Cml c = TrainConfig.Cml.defaults();
        assertEquals(40, c.effectiveK(1000));
        assertEquals(40, c.effectiveK(80));
        assertEquals(39, c.effectiveK(79));
        assertEquals(1, c.effectiveK(2));
        assertEquals(1, c.effectiveK(1));
    }

    @Test
    void badSettingsFailNamingTheValue() {
        var d = TrainConfig.defaults(TrainConfig.Mode.CLS);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBatch(1)).getMessage().contains("batch must be >= 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withLr(Double.NaN)).getMessage().contains("NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0)).getMessage().contains("epochs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TrainConfig.Cml(40, TrainConfig.Family.GAUSSIAN, 4, 1, -0.1f)).getMessage().contains("margin"));
    }
}
