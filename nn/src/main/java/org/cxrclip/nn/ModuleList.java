package org.cxrclip.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An indexed list of sub-modules named "0", "1", ... (torch's nn.Sequential / ModuleList key scheme). */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M module) {
        items.add(child(Integer.toString(items.size()), module));
        return module;
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    public List<M> items() {
        return Collections.unmodifiableList(items);
    }
}
